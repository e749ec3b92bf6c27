#include "answers/survey_import.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <span>

#include "answers/csv_records.h"
#include "answers/respondent_key.h"
#include "core/comments.h"
#include "model/utf8.h"

namespace cxm::answers {
namespace {

constexpr std::size_t kMaxIdLength = 200;

// Where an id (as typed) was first seen in the export.
struct IdRow {
  int row = 0;
  std::string id;
};

std::string trim_cell(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

// A pattern with its placeholder replaced by `literal`, as the literal
// segments between its stars.
std::vector<std::string> segments_with(std::string_view pattern, std::string_view placeholder,
                                       std::string_view literal) {
  std::vector<std::string> segments(1);
  const auto at = pattern.find(placeholder);
  auto add = [&](std::string_view part) {
    for (const char c : part) {
      if (c == '*') {
        segments.emplace_back();
      } else {
        segments.back() += c;
      }
    }
  };
  add(pattern.substr(0, at));
  segments.back() += literal;
  add(pattern.substr(at + placeholder.size()));
  return segments;
}

// Glob match over the literal segments between stars: the first must start
// the text, the last end it, the others come in order in between (the
// leftmost place of each is as good as any).
bool segments_match(const std::vector<std::string>& segments, std::string_view text) {
  if (segments.size() == 1) return text == segments[0];
  const std::string& first = segments.front();
  const std::string& last = segments.back();
  if (text.size() < first.size() + last.size()) return false;
  if (text.substr(0, first.size()) != first || text.substr(text.size() - last.size()) != last)
    return false;
  std::size_t at = first.size();
  const std::size_t end = text.size() - last.size();
  for (std::size_t i = 1; i + 1 < segments.size(); ++i) {
    const auto found = text.substr(0, end).find(segments[i], at);
    if (found == std::string_view::npos) return false;
    at = found + segments[i].size();
  }
  return true;
}

std::string column_letters(int column) {
  std::string out;
  for (int c = column; c > 0; c = (c - 1) / 26)
    out.insert(out.begin(), static_cast<char>('A' + (c - 1) % 26));
  return out;
}

std::string join(const std::vector<std::string>& parts, std::size_t at_most = 12) {
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < at_most; ++i) out += (i ? ", " : "") + parts[i];
  if (parts.size() > at_most) out += ", …";
  return out;
}

std::string quoted_list(const std::vector<std::string>& headings) {
  std::vector<std::string> q;
  for (const auto& h : headings) q.push_back("'" + h + "'");
  if (q.size() <= 1) return join(q);
  return join(std::vector<std::string>(q.begin(), q.end() - 1)) + " or " + q.back();
}

enum class ColumnUse { unmapped, respondent, role, unit, filter, item, comment, ignored };

// The whole import, one step after another; problems accumulate.
class Importer {
 public:
  Importer(const SurveyMapping& mapping, const core::Model& model,
           std::span<const core::Model> translations)
      : mapping_(mapping), model_(model), translations_(translations) {}

  SurveyImport run(std::string_view text) {
    if (read_text(text) && find_columns() && check_labels()) read_rows();
    if (problems_beyond_ > 0) {
      out_.problems.push_back(
          ImportProblem{0, 0, "", "and " + std::to_string(problems_beyond_) + " more problems"});
    }
    finish_preview();
    if (!out_.problems.empty()) out_.respondents.clear();
    return std::move(out_);
  }

 private:
  void problem(int row, int column, std::string message) {
    if (out_.problems.size() >= kMaxImportProblems) {
      ++problems_beyond_;
      return;
    }
    std::string heading;
    if (column > 0 && static_cast<std::size_t>(column) <= header_.size())
      heading = header_[column - 1];
    out_.problems.push_back(
        ImportProblem{row, column, model::printable(heading), std::move(message)});
  }

  bool read_text(std::string_view text) {
    if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF") {
      problem(0, 0, "the file is UTF-16; export or save it as UTF-8 (CSV UTF-8 in spreadsheets)");
      return false;
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
      text.remove_prefix(3);
      out_.preview.byte_order_mark = true;
    }
    if (text.find('\0') != std::string_view::npos) {
      problem(0, 0,
              "the file holds NUL bytes: it is not a UTF-8 text file (UTF-16?); export or save it "
              "as UTF-8");
      return false;
    }
    if (trim_cell(text).empty()) {
      problem(0, 0, "the file is empty; expected a header row and one row per response");
      return false;
    }
    out_.preview.separator = detect_csv_separator(text);
    int error_line = 0;
    if (auto error = read_csv_records(text, records_, error_line, out_.preview.separator);
        !error.empty()) {
      problem(0, 0, "malformed CSV at line " + std::to_string(error_line) + ": " + error);
      return false;
    }
    // Rows count as records (a quoted cell may span lines), the header is row 1.
    for (const auto& h : records_[0].fields) header_.push_back(trim_cell(h));
    bool valid = true;
    for (std::size_t r = 0; r < records_.size(); ++r) {
      for (std::size_t c = 0; c < records_[r].fields.size(); ++c) {
        const std::string& field = records_[r].fields[c];
        if (const auto bad = model::find_invalid_utf8(field)) {
          problem(static_cast<int>(r) + 1, static_cast<int>(c) + 1,
                  "not UTF-8 (byte " + model::printable(field.substr(*bad, 1)) +
                      "); export or save the file as UTF-8");
          valid = false;
        }
      }
    }
    if (!valid) return false;
    for (const auto& h : header_) normalized_.push_back(normalize_heading(h));
    out_.preview.rows = records_.size() - 1;
    return true;
  }

  std::optional<std::size_t> find_heading(const std::vector<std::string>& headings) const {
    for (const auto& wanted : headings) {
      const std::string n = normalize_heading(wanted);
      for (std::size_t c = 0; c < normalized_.size(); ++c) {
        if (normalized_[c] == n ||
            (n.find('*') != std::string::npos && glob_matches(n, normalized_[c])))
          return c;
      }
    }
    return std::nullopt;
  }

  bool find_identity_columns() {
    bool ok = true;
    uses_.assign(header_.size(), ColumnUse::unmapped);
    item_of_.assign(header_.size(), 0);
    auto choose = [&](const ColumnChoice& choice, ColumnUse use, const char* what,
                      std::string& shown) {
      if (choice.headings.empty()) return std::optional<std::size_t>();
      const auto c = find_heading(choice.headings);
      if (!c) {
        if (choice.required) {
          problem(1, 0,
                  std::string("missing column: the ") + what + " is in a column headed " +
                      quoted_list(choice.headings));
          ok = false;
        }
        return c;
      }
      uses_[*c] = use;
      shown = header_[*c];
      return c;
    };
    std::string ignored;
    respondent_ = choose(mapping_.respondent, ColumnUse::respondent, "respondent id",
                         out_.preview.respondent_column);
    role_ = choose(mapping_.role, ColumnUse::role, "role", out_.preview.role_column);
    unit_ = choose(mapping_.unit, ColumnUse::unit, "unit", out_.preview.unit_column);
    if (unit_) out_.preview.unit_column_number = static_cast<int>(*unit_) + 1;
    if (mapping_.only) {
      filter_ = choose(ColumnChoice{mapping_.only->columns, true}, ColumnUse::filter,
                       "column that tells which responses to import", ignored);
      out_.preview.filter =
          mapping_.only->description.empty()
              ? (mapping_.only->values.empty()
                     ? "rows whose '" + ignored + "' is not empty"
                     : "rows whose '" + ignored + "' is " + join(mapping_.only->values))
              : mapping_.only->description;
    }
    return ok;
  }

  // Each pattern rule with its placeholder filled by each item (the
  // literal segments between its stars), built once per import.
  void prepare_rules() {
    rule_segments_.resize(mapping_.items.size());
    for (std::size_t r = 0; r < mapping_.items.size(); ++r) {
      const ItemRule& rule = mapping_.items[r];
      if (rule.pattern.empty()) continue;
      const std::string pattern = normalize_heading(rule.pattern);
      const bool by_id = pattern.find("{item}") != std::string::npos;
      for (std::size_t i = 0; i < model_.items.size(); ++i) {
        const auto& item = model_.items[i];
        rule_segments_[r].emplace_back(
            i, segments_with(pattern, by_id ? "{item}" : "{text}",
                             normalize_heading(by_id ? item.id : item.text)));
        if (by_id) continue;
        // The statement's text in each of the model's other languages.
        for (const auto& t : translations_) {
          if (i < t.items.size() && t.items[i].text != item.text)
            rule_segments_[r].emplace_back(
                i, segments_with(pattern, "{text}", normalize_heading(t.items[i].text)));
        }
      }
    }
  }

  // Each comment pattern with its placeholder filled by each competency
  // that asks a comment question.
  void prepare_comment_rules() {
    comment_segments_.resize(mapping_.comments.size());
    for (std::size_t r = 0; r < mapping_.comments.size(); ++r) {
      const CommentRule& rule = mapping_.comments[r];
      if (rule.pattern.empty()) continue;
      const std::string pattern = normalize_heading(rule.pattern);
      const bool by_id = pattern.find("{competency}") != std::string::npos;
      for (std::size_t k = 0; k < model_.competencies.size(); ++k) {
        const auto& c = model_.competencies[k];
        if (c.comment.empty()) continue;
        comment_segments_[r].emplace_back(
            k, segments_with(pattern, by_id ? "{competency}" : "{question}",
                             normalize_heading(by_id ? c.id : c.comment)));
        if (by_id) continue;
        // The comment question in each of the model's other languages.
        for (const auto& t : translations_) {
          if (k < t.competencies.size() && !t.competencies[k].comment.empty() &&
              t.competencies[k].comment != c.comment)
            comment_segments_[r].emplace_back(
                k,
                segments_with(pattern, "{question}", normalize_heading(t.competencies[k].comment)));
        }
      }
    }
  }

  // The competency whose comments a column holds, by the first rule that
  // fits its heading; problems for a competency without a question.
  std::optional<std::size_t> comment_competency(const std::string& heading, int column, bool& bad) {
    for (std::size_t r = 0; r < mapping_.comments.size(); ++r) {
      const CommentRule& rule = mapping_.comments[r];
      if (!rule.heading.empty()) {
        if (normalize_heading(rule.heading) != heading) continue;
        const auto c = model_.find_competency(rule.competency);
        if (!c || model_.competencies[*c].comment.empty()) {
          problem(1, column,
                  "the mapping maps this column to the comments on '" + rule.competency +
                      "', which the model " +
                      (c ? "asks no comment question on" : "does not have"));
          bad = true;
          return std::nullopt;
        }
        return c;
      }
      for (const auto& [c, segments] : comment_segments_[r]) {
        if (segments_match(segments, heading)) return c;
      }
    }
    return std::nullopt;
  }

  // Which item a heading stands for under rule `r`; problems for a rule
  // that fits more than one.
  std::optional<std::size_t> item_by_rule(std::size_t r, const std::string& heading, int column,
                                          bool& ambiguous) {
    const ItemRule& rule = mapping_.items[r];
    if (!rule.heading.empty()) {
      if (normalize_heading(rule.heading) != heading) return std::nullopt;
      if (const auto item = model_.find_item(rule.item)) return item;
      problem(1, column,
              "the mapping maps this column to item '" + rule.item +
                  "', which the model does not have");
      ambiguous = true;
      return std::nullopt;
    }
    std::vector<std::size_t> found;
    for (const auto& [i, segments] : rule_segments_[r]) {
      if (segments_match(segments, heading) &&
          std::find(found.begin(), found.end(), i) == found.end())
        found.push_back(i);
    }
    if (found.size() > 1) {
      std::vector<std::string> ids;
      for (auto i : found) ids.push_back(model_.items[i].id);
      problem(1, column, "this heading fits more than one statement (" + join(ids) + ")");
      ambiguous = true;
      return std::nullopt;
    }
    if (found.empty()) return std::nullopt;
    return found.front();
  }

  bool find_columns() {
    bool ok = find_identity_columns();
    prepare_rules();
    prepare_comment_rules();
    std::map<std::size_t, int> column_of_item, column_of_comments;
    for (std::size_t c = 0; c < header_.size(); ++c) {
      if (uses_[c] != ColumnUse::unmapped) continue;
      const int column = static_cast<int>(c) + 1;
      const std::string& heading = normalized_[c];
      bool bad_comment = false;
      if (const auto competency = comment_competency(heading, column, bad_comment)) {
        if (const auto [at, fresh] = column_of_comments.emplace(*competency, column); !fresh) {
          problem(1, column,
                  "the comments on " + model_.competencies[*competency].id +
                      " already have column " + std::to_string(at->second) + " '" +
                      header_[at->second - 1] + "'");
          ok = false;
          continue;
        }
        uses_[c] = ColumnUse::comment;
        item_of_[c] = *competency;
        out_.preview.comment_columns.push_back(
            MappedColumn{column, header_[c], model_.competencies[*competency].id});
        continue;
      }
      if (bad_comment) {
        ok = false;
        continue;
      }
      for (std::size_t r = 0; r < mapping_.items.size(); ++r) {
        bool ambiguous = false;
        const auto item = item_by_rule(r, heading, column, ambiguous);
        if (ambiguous) ok = false;
        if (!item) {
          if (ambiguous) break;
          continue;
        }
        if (const auto [at, fresh] = column_of_item.emplace(*item, column); !fresh) {
          problem(1, column,
                  "item " + model_.items[*item].id + " already has column " +
                      std::to_string(at->second) + " '" + header_[at->second - 1] + "'");
          ok = false;
          break;
        }
        uses_[c] = ColumnUse::item;
        item_of_[c] = *item;
        out_.preview.items.push_back(MappedColumn{column, header_[c], model_.items[*item].id});
        break;
      }
      if (uses_[c] != ColumnUse::unmapped) continue;
      const bool ignore = std::any_of(
          mapping_.ignore.begin(), mapping_.ignore.end(),
          [&](const std::string& p) { return glob_matches(normalize_heading(p), heading); });
      if (ignore) {
        uses_[c] = ColumnUse::ignored;
        out_.preview.ignored_columns.push_back(header_[c]);
      } else {
        out_.preview.unmapped_columns.push_back(header_[c]);
      }
    }
    for (std::size_t i = 0; i < model_.items.size(); ++i) {
      if (!column_of_item.contains(i))
        out_.preview.items_without_column.push_back(model_.items[i].id);
    }
    if (ok && out_.preview.items.empty()) {
      problem(1, 0,
              "no column is a statement of the model: check the mapping's items rules against the "
              "headings");
      ok = false;
    }
    return ok;
  }

  // The model and its translations: the model's own language first.
  std::vector<const core::Model*> languages() const {
    std::vector<const core::Model*> all{&model_};
    for (const auto& t : translations_) all.push_back(&t);
    return all;
  }

  bool check_labels() {
    bool ok = true;
    auto add = [&](const std::string& label, std::optional<int> value) {
      labels_.emplace(normalize_heading(label), value);  // the first meaning of a label wins
    };
    for (const auto& l : mapping_.labels) {
      if (l.value && (*l.value < model_.scale.min || *l.value > model_.scale.max)) {
        problem(0, 0,
                "the mapping gives label '" + l.label + "' the value " + std::to_string(*l.value) +
                    ", outside the model's scale " + std::to_string(model_.scale.min) + ".." +
                    std::to_string(model_.scale.max));
        ok = false;
      }
      add(l.label, l.value);
    }
    if (mapping_.model_labels) {
      for (const core::Model* m : languages()) {
        for (std::size_t i = 0; i < m->scale.labels.size(); ++i) {
          add(m->scale.labels[i], model_.scale.min + static_cast<int>(i));
        }
        if (!m->scale.dont_know_label.empty()) add(m->scale.dont_know_label, std::nullopt);
      }
    }
    return ok;
  }

  std::optional<std::optional<int>> value_of(const std::string& cell) const {
    if (const auto it = labels_.find(normalize_heading(cell)); it != labels_.end())
      return it->second;
    if (mapping_.numbers) {
      int number = 0;
      const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), number);
      if (ec == std::errc() && end == cell.data() + cell.size() && number >= model_.scale.min &&
          number <= model_.scale.max) {
        return std::optional<int>(number);
      }
    }
    return std::nullopt;
  }

  // Each label once, as the mapping spells it, then the model's.
  std::string known_labels() const {
    std::vector<std::string> known;
    std::set<std::string> seen;
    auto add = [&](const std::string& label) {
      if (seen.insert(normalize_heading(label)).second) known.push_back("'" + label + "'");
    };
    // The mapping's codes, the model's own labels, the mapping's other
    // words for "don't know", then the labels of the model's other
    // languages: the likeliest first, as only the first 14 are shown.
    for (const auto& l : mapping_.labels) {
      if (l.value) add(l.label);
    }
    const auto model_labels = [&](const core::Model& m) {
      if (!mapping_.model_labels) return;
      for (const auto& l : m.scale.labels) add(l);
      if (!m.scale.dont_know_label.empty()) add(m.scale.dont_know_label);
    };
    model_labels(model_);
    for (const auto& l : mapping_.labels) {
      if (!l.value) add(l.label);
    }
    for (const auto& t : translations_) model_labels(t);
    if (mapping_.numbers) {
      known.push_back(std::to_string(model_.scale.min) + ".." + std::to_string(model_.scale.max));
    }
    return join(known, 14);
  }

  bool kept_by_filter(const CsvRecord& record) const {
    if (!filter_) return true;
    const std::string cell = normalize_heading(record.fields[*filter_]);
    if (mapping_.only->values.empty()) return !cell.empty();
    return std::any_of(mapping_.only->values.begin(), mapping_.only->values.end(),
                       [&](const std::string& v) { return normalize_heading(v) == cell; });
  }

  std::optional<std::string> role_of(const std::string& cell, int row) {
    if (cell.empty()) return std::string();
    const std::string n = normalize_heading(cell);
    for (const auto& r : mapping_.roles) {
      if (normalize_heading(r.label) != n) continue;
      if (model_.find_role(r.role)) return r.role;
      problem(row, static_cast<int>(*role_) + 1,
              "the mapping maps role '" + cell + "' to '" + r.role +
                  "', which is not a role of the model");
      return std::nullopt;
    }
    std::vector<std::string> known;
    for (const auto& role : model_.roles) {
      if (normalize_heading(role.id) == n || normalize_heading(role.name) == n) return role.id;
      known.push_back(role.name);
    }
    // A role's name in one of the model's other languages.
    for (const auto& t : translations_) {
      for (const auto& role : t.roles) {
        if (normalize_heading(role.name) == n) return role.id;
      }
    }
    problem(row, static_cast<int>(*role_) + 1,
            "unknown role '" + model::printable(cell) + "' (known: " + join(known) + ")");
    return std::nullopt;
  }

  void read_row(const CsvRecord& record, int row, std::map<std::string, IdRow>& rows_of_ids) {
    ImportedRespondent who;
    who.row = row;
    bool ok = true;
    who.id = trim_cell(record.fields[*respondent_]);
    const int id_column = static_cast<int>(*respondent_) + 1;
    if (who.id.empty()) {
      problem(row, id_column, "the respondent id is empty");
      ok = false;
    } else if (who.id.size() > kMaxIdLength) {
      problem(row, id_column, "the respondent id is longer than 200 characters");
      ok = false;
    } else if (const std::string key = respondent_key(who.id); key.empty()) {
      problem(row, id_column, "the respondent id has no visible character");
      ok = false;
    } else if (const auto [at, fresh] = rows_of_ids.emplace(key, IdRow{row, who.id}); !fresh) {
      problem(row, id_column,
              "duplicate respondent id '" + model::printable(who.id) + "' (also in row " +
                  std::to_string(at->second.row) +
                  (at->second.id == who.id ? "" : " as '" + model::printable(at->second.id) + "'") +
                  ")");
      ok = false;
    }
    if (role_) {
      const auto role = role_of(trim_cell(record.fields[*role_]), row);
      if (!role) ok = false;
      who.role = role.value_or("");
    }
    if (unit_) {
      who.unit = trim_cell(record.fields[*unit_]);
      if (who.unit.size() > 200) {
        problem(row, static_cast<int>(*unit_) + 1, "the unit is longer than 200 characters");
        ok = false;
      }
    }
    for (std::size_t c = 0; c < record.fields.size(); ++c) {
      if (uses_[c] != ColumnUse::comment) continue;
      const std::string text = core::normalized_comment(record.fields[c]);
      if (text.empty()) continue;
      if (const auto bad = core::comment_problem(text)) {
        problem(row, static_cast<int>(c) + 1, "the comment " + *bad);
        ok = false;
        continue;
      }
      ++out_.preview.comments;
      who.comments.emplace_back(item_of_[c], text);
    }
    for (std::size_t c = 0; c < record.fields.size(); ++c) {
      if (uses_[c] != ColumnUse::item) continue;
      const std::string cell = trim_cell(record.fields[c]);
      if (cell.empty()) {
        ++out_.preview.no_answer;
        continue;
      }
      const auto value = value_of(cell);
      if (!value) {
        problem(row, static_cast<int>(c) + 1,
                "unknown answer label '" + model::printable(cell) + "' for item " +
                    model_.items[item_of_[c]].id + " (known: " + known_labels() + ")");
        ok = false;
        continue;
      }
      count_label(cell, *value);
      who.answers.emplace_back(item_of_[c], *value);
    }
    if (ok) out_.respondents.push_back(std::move(who));
  }

  void count_label(const std::string& cell, std::optional<int> value) {
    ++out_.preview.answers;
    if (!value) ++out_.preview.dont_know;
    const auto [at, fresh] =
        label_index_.emplace(normalize_heading(cell), out_.preview.labels.size());
    if (fresh) out_.preview.labels.push_back(LabelCount{cell, value, 0});
    ++out_.preview.labels[at->second].count;
  }

  void read_rows() {
    if (records_.size() == 1) {
      problem(0, 0, "no responses: the file has only a header row");
      return;
    }
    std::map<std::string, IdRow> rows_of_ids;  // by respondent_key
    for (std::size_t r = 1; r < records_.size(); ++r) {
      const CsvRecord& record = records_[r];
      const int row = static_cast<int>(r) + 1;
      if (record.fields.size() != header_.size()) {
        problem(row, 0,
                "this row has " + std::to_string(record.fields.size()) + " cells, the header has " +
                    std::to_string(header_.size()) +
                    (record.line != row ? " (it starts on line " + std::to_string(record.line) + ")"
                                        : ""));
        continue;
      }
      if (!kept_by_filter(record)) {
        ++out_.preview.skipped_rows;
        continue;
      }
      read_row(record, row, rows_of_ids);
    }
    if (out_.preview.skipped_rows == out_.preview.rows && out_.problems.empty()) {
      problem(0, 0,
              "no response to import: the mapping keeps only " + out_.preview.filter +
                  ", and no row is one");
    }
  }

  void finish_preview() {
    out_.preview.respondents = out_.problems.empty() ? out_.respondents.size() : 0;
    std::stable_sort(out_.preview.labels.begin(), out_.preview.labels.end(),
                     [](const LabelCount& a, const LabelCount& b) {
                       const int va = a.value.value_or(1000), vb = b.value.value_or(1000);
                       return va < vb;
                     });
  }

  const SurveyMapping& mapping_;
  const core::Model& model_;
  SurveyImport out_;
  std::size_t problems_beyond_ = 0;
  std::vector<CsvRecord> records_;
  std::vector<std::string> header_;
  std::vector<std::string> normalized_;  // header_ through normalize_heading
  std::span<const core::Model> translations_;
  // By rule: (item, literal segments), one per item and language.
  std::vector<std::vector<std::pair<std::size_t, std::vector<std::string>>>> rule_segments_;
  // By comment rule: (competency, literal segments), one per competency that
  // asks a comment question and language.
  std::vector<std::vector<std::pair<std::size_t, std::vector<std::string>>>> comment_segments_;
  std::vector<ColumnUse> uses_;
  std::vector<std::size_t> item_of_;
  std::optional<std::size_t> respondent_, role_, unit_, filter_;
  std::map<std::string, std::optional<int>> labels_;
  std::map<std::string, std::size_t> label_index_;
};

}  // namespace

std::string format(const ImportProblem& problem, std::string_view file) {
  std::string out(file);
  if (problem.row > 0) out += ": row " + std::to_string(problem.row);
  if (problem.column > 0) {
    out += std::string(problem.row > 0 ? "," : ":") + " column " + std::to_string(problem.column) +
           " (" + column_letters(problem.column) + ")";
    if (!problem.heading.empty()) out += " '" + problem.heading + "'";
  }
  return out + ": " + problem.message;
}

std::string normalize_heading(std::string_view text) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const std::string_view rest = text.substr(i);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || rest.starts_with("\xC2\xA0")) {
      if (c == 0xC2) ++i;
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    if (rest.starts_with("\xE2\x80\x98") || rest.starts_with("\xE2\x80\x99")) {
      out += '\'';
      i += 2;
    } else if (rest.starts_with("\xE2\x80\x9C") || rest.starts_with("\xE2\x80\x9D")) {
      out += '"';
      i += 2;
    } else {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    }
  }
  return out;
}

bool glob_matches(std::string_view pattern, std::string_view text) {
  std::vector<std::string> segments(1);
  for (const char c : pattern) {
    if (c == '*') {
      segments.emplace_back();
    } else {
      segments.back() += c;
    }
  }
  return segments_match(segments, text);
}

SurveyImport import_survey_csv(std::string_view text, const SurveyMapping& mapping,
                               const core::Model& model,
                               std::span<const core::Model> translations) {
  return Importer(mapping, model, translations).run(text);
}

core::Responses to_responses(const std::vector<ImportedRespondent>& respondents,
                             const core::Model& model) {
  core::Responses responses(model.items.size());
  for (const auto& who : respondents) {
    const std::size_t row = responses.add(core::Respondent{who.id, who.role, who.unit});
    for (const auto& [item, value] : who.answers) {
      if (value) responses.set(row, item, static_cast<std::int8_t>(*value));
    }
  }
  return responses;
}

}  // namespace cxm::answers
