#include "report/summary_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "report/score_document.h"

namespace cxm::report {
namespace {

using nlohmann::json;

// Writes headings, paragraphs, lists and tables in one of two styles.
class Writer {
 public:
  explicit Writer(SummaryStyle style) : style_(style) {}

  void title(const std::string& text) {
    if (markdown()) {
      out_ += "# " + text + "\n\n";
    } else {
      out_ += text + "\n" + std::string(display_width(text), '=') + "\n\n";
    }
  }
  void heading(const std::string& text) {
    if (markdown()) {
      out_ += "## " + text + "\n\n";
    } else {
      out_ += text + "\n" + std::string(display_width(text), '-') + "\n";
    }
  }
  void paragraph(const std::string& text) { out_ += wrap(text, "", "") + "\n"; }
  void bullet(const std::string& text) { out_ += wrap(text, "- ", "  "); }
  void numbered(std::size_t n, const std::string& text) {
    const std::string marker = std::to_string(n) + ". ";
    out_ += wrap(text, marker, std::string(marker.size(), ' '));
  }
  void end_list() { out_ += "\n"; }
  void preformatted(const std::vector<std::string>& lines) {
    if (markdown()) out_ += "```\n";
    for (const auto& l : lines) out_ += l + "\n";
    if (markdown()) out_ += "```\n";
    out_ += "\n";
  }
  void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) width[c] = display_width(header[c]);
    for (const auto& row : rows) {
      for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) {
        width[c] = std::max(width[c], display_width(row[c]));
      }
    }
    auto line = [&](const std::vector<std::string>& cells) {
      std::string l = markdown() ? "| " : "";
      for (std::size_t c = 0; c < cells.size(); ++c) {
        l += cells[c] + std::string(width[c] - display_width(cells[c]), ' ');
        l += markdown() ? " | " : "  ";
      }
      while (!l.empty() && l.back() == ' ') l.pop_back();
      out_ += l + "\n";
    };
    line(header);
    std::vector<std::string> rule;
    for (std::size_t w : width) rule.push_back(std::string(w, '-'));
    line(rule);
    for (const auto& row : rows) line(row);
    out_ += "\n";
  }
  bool markdown() const { return style_ == SummaryStyle::markdown; }
  std::string take() { return std::move(out_); }

 private:
  // Columns of UTF-8 text: count code points, not bytes.
  static std::size_t display_width(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  }
  // Terminal text is wrapped at kWidth columns with a hanging indent;
  // Markdown is left to its renderer.
  std::string wrap(const std::string& text, const std::string& first, const std::string& rest) const {
    if (markdown()) return first + text + "\n";
    std::string out = first;
    std::size_t column = display_width(first);
    std::size_t start = 0;
    bool line_empty = true;
    while (start < text.size()) {
      std::size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      const std::string word = text.substr(start, end - start);
      if (!line_empty && column + 1 + display_width(word) > kWidth) {
        out += "\n" + rest;
        column = display_width(rest);
        line_empty = true;
      }
      if (!line_empty) {
        out += ' ';
        ++column;
      }
      out += word;
      column += display_width(word);
      line_empty = false;
      start = end + 1;
    }
    return out + "\n";
  }

  static constexpr std::size_t kWidth = 78;
  SummaryStyle style_;
  std::string out_;
};

std::string score_text(const json& value) {
  if (value.is_null()) return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f", value.get<double>());
  return buffer;
}

std::string decimal(const json& value, int digits) {
  if (value.is_null()) return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value.get<double>());
  return buffer;
}

const json* find_by_id(const json& list, const std::string& id) {
  for (const auto& entry : list) {
    if (entry.at("id").get<std::string>() == id) return &entry;
  }
  return nullptr;
}

void write_ladder(Writer& w, const json& doc) {
  const int current = doc.at("stage").at("number").get<int>();
  w.heading("Stage ladder");
  std::vector<std::string> lines;
  const json& stages = doc.at("stages");
  for (auto it = stages.rbegin(); it != stages.rend(); ++it) {
    const int number = it->at("number").get<int>();
    std::string name = it->at("name").get<std::string>();
    std::string line = (number == current ? "> " : "  ") + std::to_string(number) + " " + name;
    line += std::string(name.size() < 16 ? 16 - name.size() : 1, ' ');
    if (number == 1) {
      line += "   floor";
    } else {
      std::string score = score_text(it->at("score"));
      line += std::string(score.size() < 5 ? 5 - score.size() : 0, ' ') + score;
      line += it->at("attained").get<bool>() ? "  attained" : "  not attained";
    }
    if (number == current) line += "   <- you are here";
    lines.push_back(line);
  }
  w.preformatted(lines);
}

// A pulse document claims no stage (score_document.h).
bool is_pulse(const json& doc) { return doc.value("form", std::string("full")) == "pulse"; }

std::string stage_text(const json& entry) {
  return std::to_string(entry.at("stage").get<int>()) + " " + entry.at("stage_name").get<std::string>();
}

void write_competencies(Writer& w, const json& doc) {
  w.heading(is_pulse(doc) ? "Competencies (pulse statements only)" : "Competencies");
  // Agreement and reliability describe a group; one person's answers have none.
  const bool group = doc.at("answering").get<int>() >= 2;
  const bool staged = !is_pulse(doc);
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : doc.at("competencies")) {
    std::vector<std::string> row{c.at("name").get<std::string>(), score_text(c.at("score"))};
    if (staged) row.push_back(stage_text(c));
    if (group) {
      row.push_back(decimal(c.at("rwg_j"), 2));
      row.push_back(decimal(c.at("alpha"), 2) + " (n=" + std::to_string(c.at("alpha_n").get<int>()) + ")");
    }
    rows.push_back(row);
  }
  std::vector<std::string> header{"Competency", "Score"};
  if (staged) header.push_back("Stage");
  if (group) {
    header.push_back("Agreement rwg(j)");
    header.push_back("Reliability alpha");
  }
  w.table(header, rows);
}

void write_ranking(Writer& w, const json& ranking, const std::string& heading) {
  w.heading(heading);
  if (ranking.at("competencies").empty()) {
    w.paragraph("Not enough answers to rank.");
    return;
  }
  std::size_t n = 0;
  for (const auto& c : ranking.at("competencies")) {
    w.numbered(++n, c.at("name").get<std::string>() + " (" + score_text(c.at("score")) + ")");
  }
  w.end_list();
  for (const auto& i : ranking.at("items")) {
    w.bullet(score_text(i.at("score")) + "  " + i.at("id").get<std::string>() + ": " + i.at("text").get<std::string>());
  }
  w.end_list();
}

void write_gaps(Writer& w, const json& doc) {
  if (doc.at("next_stage").is_null()) {
    w.heading("Next-stage gaps");
    w.paragraph("This is the top stage: keep renewing what got you here.");
    return;
  }
  const json& next = doc.at("next_stage");
  w.heading("Next-stage gaps (to reach " + std::to_string(next.at("number").get<int>()) + " " +
            next.at("name").get<std::string>() + ")");
  if (doc.at("next_stage_gaps").empty()) {
    w.paragraph("No item of the next stage is below the threshold of " + score_text(doc.at("threshold")) +
                "; the stage is held back by unanswered items.");
    return;
  }
  std::size_t n = 0;
  for (const auto& id : doc.at("next_stage_gaps")) {
    const json* item = find_by_id(doc.at("items"), id.get<std::string>());
    if (!item) throw std::runtime_error("next_stage_gaps names an unknown item");
    w.numbered(++n, score_text(item->at("score")) + "  " + item->at("id").get<std::string>() + ": " +
                        item->at("text").get<std::string>());
  }
  w.end_list();
}

void write_disagreement(Writer& w, const json& doc) {
  std::vector<const json*> split;
  for (const auto& item : doc.at("items")) {
    if (item.at("class") == "disagreement") split.push_back(&item);
  }
  if (split.empty()) return;
  std::stable_sort(split.begin(), split.end(), [](const json* a, const json* b) {
    return a->at("rwg").get<double>() < b->at("rwg").get<double>();
  });
  w.heading("Where people disagree");
  for (std::size_t i = 0; i < split.size() && i < 5; ++i) {
    const json& item = *split[i];
    w.bullet(item.at("id").get<std::string>() + " (rwg " + decimal(item.at("rwg"), 2) +
             (item.at("bimodal").get<bool>() ? ", split into two camps" : "") +
             "): " + item.at("text").get<std::string>());
  }
  w.end_list();
}

void write_segments(Writer& w, const json& doc, const char* kind, const std::string& heading) {
  const json& segments = doc.at("segments").at(kind);
  if (segments.empty()) return;
  w.heading(heading);
  const bool staged = !is_pulse(doc);
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : segments) {
    const std::string n = std::to_string(s.at("respondents").get<int>());
    if (s.at("suppressed").get<bool>()) {
      rows.push_back({s.at("name").get<std::string>(), n, "hidden", "fewer than " +
                      std::to_string(doc.at("min_group_size").get<int>()) + " answers"});
    } else {
      rows.push_back({s.at("name").get<std::string>(), n, score_text(s.at("overall_score"))});
      if (staged) rows.back().push_back(stage_text(s));
    }
  }
  if (staged) {
    w.table({"Segment", "Respondents", "Score", "Stage"}, rows);
  } else {
    w.table({"Segment", "Respondents", "Score", "Note"}, rows);
  }
}

// The stage verdict of a full document: title, ladder, the pace to expect.
void write_verdict(Writer& w, const json& doc, const std::string& summary) {
  const json& stage = doc.at("stage");
  const int stages = static_cast<int>(doc.at("stages").size());
  w.title("CX maturity: stage " + std::to_string(stage.at("number").get<int>()) + " of " +
          std::to_string(stages) + ", " + stage.at("name").get<std::string>());
  w.paragraph(summary + "; a stage is attained at " + score_text(doc.at("threshold")) + ".");
  w.paragraph(stage.at("description").get<std::string>());
  write_ladder(w, doc);
  w.paragraph(
      "Later stages take years. Between six-monthly cycles, look for movement in the competency scores "
      "rather than expecting a new stage each time.");
}

// The key obstacle of the stage reached and what helps with it.
void write_obstacle(Writer& w, const json& doc) {
  const json& stage = doc.at("stage");
  w.heading("Key obstacle");
  w.paragraph(stage.at("obstacle").get<std::string>());
  for (const auto& a : stage.at("obstacle_actions")) {
    std::string text = a.at("title").get<std::string>() + ": " + a.at("detail").get<std::string>();
    if (!a.value("owner", std::string()).empty()) text += " Owner: " + a.at("owner").get<std::string>() + ".";
    if (!a.value("success_measure", std::string()).empty()) {
      text += " It worked when: " + a.at("success_measure").get<std::string>();
    }
    w.bullet(text);
  }
  if (!stage.at("obstacle_actions").empty()) w.end_list();
}

std::string render(const json& doc, SummaryStyle style) {
  Writer w(style);
  const json& model = doc.at("model");
  const std::string summary = model.at("title").get<std::string>() + " " + model.at("version").get<std::string>() +
                              ". " + std::to_string(doc.at("answering").get<int>()) + " of " +
                              std::to_string(doc.at("respondents").get<int>()) +
                              " respondents answered. Overall score " + score_text(doc.at("overall_score")) +
                              " of 100";
  if (is_pulse(doc)) {
    w.title("CX pulse check");
    w.paragraph(summary + ".");
    w.paragraph(doc.at("note").get<std::string>());
  } else {
    write_verdict(w, doc, summary);
    write_obstacle(w, doc);
    write_gaps(w, doc);
  }
  write_ranking(w, doc.at("strengths"), "Strengths");
  write_ranking(w, doc.at("weaknesses"), "Weaknesses");
  write_competencies(w, doc);
  write_disagreement(w, doc);
  write_segments(w, doc, "role", "By role");
  write_segments(w, doc, "unit", "By unit");
  return w.take();
}

}  // namespace

std::string check_score_document(std::string_view score_json) {
  json doc = json::parse(score_json, nullptr, false);
  if (doc.is_discarded()) return "not valid JSON";
  if (!doc.is_object() || doc.value("schema", "") != kScoreSchema) {
    return std::string("not a cxm score document (expected \"schema\": \"") + kScoreSchema +
           "\"; create one with cxm score --json)";
  }
  return {};
}

RenderResult render_summary(std::string_view score_json, SummaryStyle style) {
  RenderResult result;
  result.error = check_score_document(score_json);
  if (!result.error.empty()) return result;
  try {
    result.output = render(json::parse(score_json), style);
  } catch (const std::exception& e) {
    // A document with the right schema tag but a missing or mistyped field.
    result.error = std::string("incomplete score document: ") + e.what();
  }
  return result;
}

}  // namespace cxm::report
