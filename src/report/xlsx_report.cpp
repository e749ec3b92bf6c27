#include "report/xlsx_report.h"

#include <nlohmann/json.hpp>
#include <xlsxwriter.h>

#include <memory>

namespace cxm::report {
namespace {

using nlohmann::json;

std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

// One sheet: a frozen, bold header row, then rows written cell by cell;
// a number cell stays empty when the document has no number (too few
// answers) rather than holding text.
class Sheet {
 public:
  Sheet(lxw_workbook* book, const char* name, lxw_format* bold) : sheet_(workbook_add_worksheet(book, name)), bold_(bold) {}

  void header(const std::vector<std::pair<std::string, double>>& columns) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      worksheet_write_string(sheet_, 0, static_cast<lxw_col_t>(c), columns[c].first.c_str(), bold_);
      worksheet_set_column(sheet_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), columns[c].second, nullptr);
    }
    worksheet_freeze_panes(sheet_, 1, 0);
    row_ = 1;
  }
  Sheet& text(const std::string& value) {
    if (!value.empty()) worksheet_write_string(sheet_, row_, col_, value.c_str(), nullptr);
    ++col_;
    return *this;
  }
  Sheet& number(const json& value, lxw_format* format = nullptr) {
    if (value.is_number()) worksheet_write_number(sheet_, row_, col_, value.get<double>(), format);
    ++col_;
    return *this;
  }
  Sheet& flag(bool value) {
    worksheet_write_boolean(sheet_, row_, col_, value ? 1 : 0, nullptr);
    ++col_;
    return *this;
  }
  void next() {
    ++row_;
    col_ = 0;
  }
  lxw_worksheet* raw() { return sheet_; }

 private:
  lxw_worksheet* sheet_;
  lxw_format* bold_;
  lxw_row_t row_ = 0;
  lxw_col_t col_ = 0;
};

struct Formats {
  lxw_format* bold;
  lxw_format* score;     // 0.0
  lxw_format* index;     // 0.00
  lxw_format* percent;   // 0%
  lxw_format* integer;   // 0
};

void summary_sheet(lxw_workbook* book, const Formats& f, const json& doc, const ReportContext& ctx) {
  Sheet s(book, "Summary", f.bold);
  s.header({{"What", 28}, {"Value", 60}});
  auto row_text = [&](const std::string& what, const std::string& value) { s.text(what).text(value).next(); };
  auto row_number = [&](const std::string& what, const json& value, lxw_format* format) {
    s.text(what).number(value, format).next();
  };
  row_text("Organization", ctx.organization);
  row_text("Assessment", ctx.cycle);
  row_text("Group", ctx.filter.empty() ? "Everyone" : ctx.filter);
  row_text("Model", text_of(doc["model"]["title"]));
  row_text("Model id", text_of(doc["model"]["id"]));
  row_text("Model version", text_of(doc["model"]["version"]));
  row_text("Form", text_of(doc["form"]).empty() ? "full" : text_of(doc["form"]));
  row_number("Respondents", doc["respondents"], f.integer);
  row_number("Invited", ctx.invited ? json(*ctx.invited) : json(nullptr), f.integer);
  row_number("Response rate",
             ctx.invited && *ctx.invited > 0 ? json(doc["respondents"].get<double>() / *ctx.invited) : json(nullptr),
             f.percent);
  row_number("Overall score (0-100)", doc["overall_score"], f.score);
  const json none;
  row_number("Stage", doc["stage"].is_object() ? doc["stage"]["number"] : none, f.integer);
  row_text("Stage name", doc["stage"].is_object() ? text_of(doc["stage"]["name"]) : "no stage (pulse)");
  row_text("Key obstacle", doc["stage"].is_object() ? text_of(doc["stage"]["obstacle"]) : "");
  row_text("Next stage", doc["next_stage"].is_object() ? text_of(doc["next_stage"]["name"]) : "");
  row_number("Stage threshold", doc["threshold"], f.score);
  row_number("Minimum group size", doc["min_group_size"], f.integer);
  if (doc.contains("stage_rollup")) row_text("Stage roll-up", text_of(doc["stage_rollup"]["statement"]));
  if (doc.contains("out_of_scope")) {
    for (const auto& x : doc["out_of_scope"]) {
      row_text("Out of scope: " + text_of(x["id"]), text_of(x["text"]) + " (" + text_of(x["reason"]) + ")");
    }
  }
  row_text("Made on", ctx.generated_on);
}

void competency_sheet(lxw_workbook* book, const Formats& f, const json& doc) {
  Sheet s(book, "Competencies", f.bold);
  s.header({{"Competency id", 16}, {"Competency", 34}, {"Score", 9}, {"Stage", 8}, {"Stage name", 16},
            {"rwg(j)", 9}, {"rwg(j) n", 9}, {"Alpha", 9}, {"Alpha n", 9}, {"Target stage", 12}});
  const json none;
  for (const auto& c : doc["competencies"]) {
    s.text(text_of(c["id"])).text(text_of(c["name"])).number(c["score"], f.score).number(c["stage"], f.integer);
    s.text(text_of(c["stage_name"])).number(c["rwg_j"], f.index).number(c["rwg_j_n"], f.integer);
    s.number(c["alpha"], f.index).number(c["alpha_n"], f.integer);
    s.number(c.contains("target_stage") ? c["target_stage"] : none, f.integer).next();
  }
}

void statement_sheet(lxw_workbook* book, const Formats& f, const json& doc) {
  Sheet s(book, "Statements", f.bold);
  std::vector<std::pair<std::string, double>> columns = {
      {"Statement id", 12}, {"Competency id", 16}, {"Stage", 7}, {"Statement", 60}, {"n", 6},  {"Missing", 8},
      {"Mean", 7},          {"Median", 8},         {"SD", 7},    {"Score", 8},      {"rwg", 7}, {"Agreement", 13},
      {"Two camps", 10}};
  for (const auto& label : doc["scale"]["labels"]) columns.push_back({"Answers: " + text_of(label), 14});
  s.header(columns);
  for (const auto& i : doc["items"]) {
    s.text(text_of(i["id"])).text(text_of(i["competency"])).number(i["stage"], f.integer).text(text_of(i["text"]));
    s.number(i["n"], f.integer).number(i["missing"], f.integer).number(i["mean"], f.index).number(i["median"], f.index);
    s.number(i["sd"], f.index).number(i["score"], f.score).number(i["rwg"], f.index).text(text_of(i["class"]));
    s.flag(i["bimodal"].is_boolean() && i["bimodal"].get<bool>());
    for (const auto& count : i["histogram"]) s.number(count, f.integer);
    s.next();
  }
}

void group_sheet(lxw_workbook* book, const Formats& f, const json& doc) {
  Sheet s(book, "Groups", f.bold);
  std::vector<std::pair<std::string, double>> columns = {{"Kind", 7},   {"Group id", 16}, {"Group", 24}, {"People", 8},
                                                         {"Shown", 7},  {"Why hidden", 48}, {"Overall score", 13},
                                                         {"Stage", 7}};
  for (const auto& c : doc["competencies"]) columns.push_back({text_of(c["name"]), 14});
  s.header(columns);
  for (const char* kind : {"role", "unit"}) {
    for (const auto& g : doc["segments"][kind]) {
      const bool shown = !g["suppressed"].get<bool>();
      s.text(kind).text(text_of(g["value"])).text(text_of(g["name"])).number(g["respondents"], f.integer).flag(shown);
      s.text(shown ? "" : text_of(g["reason"])).number(shown ? g["overall_score"] : json(), f.score);
      s.number(shown ? g["stage"] : json(), f.integer);
      for (const auto& c : doc["competencies"]) {
        json score;
        if (shown && g.contains("competencies")) {
          for (const auto& gc : g["competencies"]) {
            if (gc["id"] == c["id"]) score = gc["score"];
          }
        }
        s.number(score, f.score);
      }
      s.next();
    }
  }
}

void answer_sheet(lxw_workbook* book, const Formats& f, const RawAnswers& raw) {
  Sheet s(book, "Answers", f.bold);
  std::vector<std::pair<std::string, double>> columns = {{"Respondent", 11}, {"Role", 12}, {"Unit", 16}};
  for (const auto& id : raw.item_ids) columns.push_back({id, 7});
  s.header(columns);
  for (const auto& r : raw.respondents) {
    s.text(r.id).text(r.role).text(r.unit);
    for (const auto& a : r.answers) s.number(a ? json(*a) : json(), f.integer);
    s.next();
  }
}

}  // namespace

std::string write_xlsx(const std::string& path, std::string_view score_json, const ReportContext& context,
                       const RawAnswers* raw) {
  if (auto problem = check_score_document(score_json); !problem.empty()) return problem;
  json doc;
  try {
    doc = json::parse(score_json);  // not const: a missing optional field reads as null
  } catch (const json::exception& e) {
    return std::string("not a score document: ") + e.what();
  }
  lxw_workbook* book = workbook_new(path.c_str());
  if (!book) return "cannot create " + path;
  Formats f{};
  f.bold = workbook_add_format(book);
  format_set_bold(f.bold);
  f.score = workbook_add_format(book);
  format_set_num_format(f.score, "0.0");
  f.index = workbook_add_format(book);
  format_set_num_format(f.index, "0.00");
  f.percent = workbook_add_format(book);
  format_set_num_format(f.percent, "0%");
  f.integer = workbook_add_format(book);
  format_set_num_format(f.integer, "0");
  try {
    summary_sheet(book, f, doc, context);
    competency_sheet(book, f, doc);
    statement_sheet(book, f, doc);
    group_sheet(book, f, doc);
    if (raw) answer_sheet(book, f, *raw);
  } catch (const json::exception& e) {
    workbook_close(book);
    return std::string("not a complete score document: ") + e.what();
  }
  const lxw_error closed = workbook_close(book);
  if (closed != LXW_NO_ERROR) return "cannot write " + path + ": " + lxw_strerror(closed);
  return {};
}

}  // namespace cxm::report
