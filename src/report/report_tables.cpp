#include "report/report_tables.h"

#include "report/csv.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <filesystem>
#include <fstream>

namespace cxm::report {
namespace {

using nlohmann::json;

std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

// Builds one table row by row; a number cell stays empty when the document
// has no number (too few answers) rather than holding text.
class TableBuilder {
 public:
  TableBuilder(std::string name, std::string file, std::vector<Column> columns) {
    table_.name = std::move(name);
    table_.file = std::move(file);
    table_.columns = std::move(columns);
  }
  TableBuilder& text(const std::string& value) {
    Cell cell;
    if (!value.empty()) {
      cell.kind = Cell::Kind::text;
      cell.text = value;
    }
    row_.push_back(std::move(cell));
    return *this;
  }
  TableBuilder& number(const json& value, NumberFormat format = NumberFormat::general) {
    Cell cell;
    if (value.is_number()) {
      cell.kind = Cell::Kind::number;
      cell.number = value.get<double>();
      cell.format = format;
    }
    row_.push_back(std::move(cell));
    return *this;
  }
  TableBuilder& flag(bool value) {
    Cell cell;
    cell.kind = Cell::Kind::flag;
    cell.flag = value;
    row_.push_back(std::move(cell));
    return *this;
  }
  void next() {
    row_.resize(table_.columns.size());
    table_.rows.push_back(std::move(row_));
    row_.clear();
  }
  Table finish() { return std::move(table_); }

 private:
  Table table_;
  std::vector<Cell> row_;
};

using F = NumberFormat;

json maybe(const std::optional<double>& v) { return v ? json(*v) : json(); }

Table summary_table(const json& doc, const ReportContext& ctx) {
  TableBuilder s("Summary", "summary.csv", {{"What", 28}, {"Value", 60}});
  auto row_text = [&](const std::string& what, const std::string& value) { s.text(what).text(value).next(); };
  auto row_number = [&](const std::string& what, const json& value, F format) {
    s.text(what).number(value, format).next();
  };
  row_text("Organization", ctx.organization);
  row_text("Assessment", ctx.cycle);
  row_text("Group", ctx.filter.empty() ? "Everyone" : ctx.filter);
  row_text("Model", text_of(doc["model"]["title"]));
  row_text("Model id", text_of(doc["model"]["id"]));
  row_text("Model version", text_of(doc["model"]["version"]));
  row_text("Form", text_of(doc["form"]).empty() ? "full" : text_of(doc["form"]));
  row_number("Respondents", doc["respondents"], F::integer);
  // Of them, imported from a survey tool's export (0 in a file scored
  // outside the server).
  row_number("Imported respondents", json(ctx.imported), F::integer);
  row_number("Invited", ctx.invited ? json(*ctx.invited) : json(nullptr), F::integer);
  row_number("Response rate",
             ctx.invited && *ctx.invited > 0 ? json(doc["respondents"].get<double>() / *ctx.invited) : json(nullptr),
             F::percent);
  row_number("Overall score (0-100)", doc["overall_score"], F::score);
  const json none;
  row_number("Stage", doc["stage"].is_object() ? doc["stage"]["number"] : none, F::integer);
  row_text("Stage name", doc["stage"].is_object() ? text_of(doc["stage"]["name"]) : "no stage (pulse)");
  row_text("Key obstacle", doc["stage"].is_object() ? text_of(doc["stage"]["obstacle"]) : "");
  row_text("Next stage", doc["next_stage"].is_object() ? text_of(doc["next_stage"]["name"]) : "");
  row_number("Stage threshold", doc["threshold"], F::score);
  row_number("Minimum group size", doc["min_group_size"], F::integer);
  if (doc.contains("stage_rollup")) row_text("Stage roll-up", text_of(doc["stage_rollup"]["statement"]));
  if (doc.contains("out_of_scope")) {
    for (const auto& x : doc["out_of_scope"]) {
      row_text("Out of scope: " + text_of(x["id"]), text_of(x["text"]) + " (" + text_of(x["reason"]) + ")");
    }
  }
  row_text("Made on", ctx.generated_on);
  return s.finish();
}

Table competency_table(const json& doc) {
  TableBuilder s("Competencies", "competencies.csv",
                 {{"Competency id", 16}, {"Competency", 34}, {"Score", 9}, {"Stage", 8}, {"Stage name", 16},
                  {"rwg(j)", 9}, {"rwg(j) n", 9}, {"Alpha", 9}, {"Alpha n", 9}, {"Target stage", 12}});
  const json none;
  for (const auto& c : doc["competencies"]) {
    s.text(text_of(c["id"])).text(text_of(c["name"])).number(c["score"], F::score).number(c["stage"], F::integer);
    s.text(text_of(c["stage_name"])).number(c["rwg_j"], F::index).number(c["rwg_j_n"], F::integer);
    s.number(c["alpha"], F::index).number(c["alpha_n"], F::integer);
    s.number(c.contains("target_stage") ? c["target_stage"] : none, F::integer).next();
  }
  return s.finish();
}

Table statement_table(const json& doc) {
  std::vector<Column> columns = {{"Statement id", 12}, {"Competency id", 16}, {"Stage", 7}, {"Statement", 60},
                                 {"n", 6},             {"Missing", 8},        {"Mean", 7},  {"Median", 8},
                                 {"SD", 7},            {"Score", 8},          {"rwg", 7},   {"Agreement", 13},
                                 {"Two camps", 10}};
  for (const auto& label : doc["scale"]["labels"]) columns.push_back({"Answers: " + text_of(label), 14});
  TableBuilder s("Statements", "statements.csv", std::move(columns));
  for (const auto& i : doc["items"]) {
    s.text(text_of(i["id"])).text(text_of(i["competency"])).number(i["stage"], F::integer).text(text_of(i["text"]));
    s.number(i["n"], F::integer).number(i["missing"], F::integer).number(i["mean"], F::index);
    s.number(i["median"], F::index).number(i["sd"], F::index).number(i["score"], F::score);
    s.number(i["rwg"], F::index).text(text_of(i["class"]));
    s.flag(i["bimodal"].is_boolean() && i["bimodal"].get<bool>());
    for (const auto& count : i["histogram"]) s.number(count, F::integer);
    s.next();
  }
  return s.finish();
}

Table group_table(const json& doc) {
  std::vector<Column> columns = {{"Kind", 7},        {"Group id", 16},      {"Group", 24}, {"People", 8},
                                 {"Shown", 7},       {"Why hidden", 48},    {"Overall score", 13},
                                 {"Stage", 7}};
  for (const auto& c : doc["competencies"]) columns.push_back({text_of(c["name"]), 14});
  TableBuilder s("Groups", "groups.csv", std::move(columns));
  for (const char* kind : {"role", "unit"}) {
    for (const auto& g : doc["segments"][kind]) {
      const bool shown = !g["suppressed"].get<bool>();
      s.text(kind).text(text_of(g["value"])).text(text_of(g["name"])).number(g["respondents"], F::integer).flag(shown);
      s.text(shown ? "" : text_of(g["reason"])).number(shown ? g["overall_score"] : json(), F::score);
      s.number(shown ? g["stage"] : json(), F::integer);
      for (const auto& c : doc["competencies"]) {
        json score;
        if (shown && g.contains("competencies")) {
          for (const auto& gc : g["competencies"]) {
            if (gc["id"] == c["id"]) score = gc["score"];
          }
        }
        s.number(score, F::score);
      }
      s.next();
    }
  }
  return s.finish();
}

Table answer_table(const RawAnswers& raw) {
  std::vector<Column> columns = {{"Respondent", 11}, {"Role", 12}, {"Unit", 16}};
  for (const auto& id : raw.item_ids) columns.push_back({id, 7});
  TableBuilder s("Answers", "answers.csv", std::move(columns));
  for (const auto& r : raw.respondents) {
    s.text(r.id).text(r.role).text(r.unit);
    for (const auto& a : r.answers) s.number(a ? json(*a) : json(), F::integer);
    s.next();
  }
  return s.finish();
}

Table benchmark_table(const ReportSections& sections) {
  TableBuilder s("Benchmark", "benchmark.csv",
                 {{"Dataset", 28}, {"Synthetic", 10}, {"Cut", 20}, {"Id", 14}, {"Name", 30}, {"Score", 9},
                  {"Percentile", 11}, {"Peers", 8}, {"Peer median", 12}, {"Peer Q1", 9}, {"Peer Q3", 9},
                  {"Source", 30}, {"Citation", 40}, {"Licence", 14}, {"Published on", 13}});
  if (sections.benchmark) {
    const auto& b = *sections.benchmark;
    for (const auto& r : b.rows) {
      s.text(b.dataset).flag(b.synthetic).text(b.cut).text(r.id).text(r.name).number(r.score, F::score);
      s.number(r.percentile, F::score).number(r.peers, F::integer).number(r.median, F::score);
      s.number(r.q1, F::score).number(r.q3, F::score).text(b.source).text(b.citation).text(b.licence);
      s.text(b.published_on).next();
    }
  }
  return s.finish();
}

Table change_table(const ReportSections& sections) {
  TableBuilder s("Change", "change.csv",
                 {{"Since", 24}, {"Id", 14}, {"Name", 30}, {"Before", 9}, {"After", 9}, {"Change", 9},
                  {"95% CI low", 11}, {"95% CI high", 11}, {"Verdict", 16}});
  if (sections.change) {
    for (const auto& r : sections.change->rows) {
      s.text(sections.change->since).text(r.id).text(r.name).number(maybe(r.before), F::score);
      s.number(maybe(r.after), F::score).number(maybe(r.change), F::score).number(maybe(r.ci_low), F::score);
      s.number(maybe(r.ci_high), F::score).text(r.verdict).next();
    }
  }
  return s.finish();
}

Table action_table(const ReportSections& sections) {
  TableBuilder s("Actions", "actions.csv",
                 {{"Action", 48}, {"Owner", 20}, {"Due", 12}, {"Status", 12}, {"Competency id", 16}});
  if (sections.actions) {
    for (const auto& a : *sections.actions) s.text(a.title).text(a.owner).text(a.due).text(a.status).text(a.competency).next();
  }
  return s.finish();
}

Table decision_table(const ReportSections& sections) {
  TableBuilder s("Decisions", "decisions.csv",
                 {{"Statement id", 12}, {"Statement", 60}, {"Decision", 9}, {"Decision label", 18}, {"Note", 60}});
  if (sections.decisions) {
    for (const auto& d : *sections.decisions) {
      s.text(d.item_id).text(d.statement).number(d.decision ? json(*d.decision) : json(), F::integer);
      s.text(d.decision_label).text(d.note).next();
    }
  }
  return s.finish();
}


}  // namespace

std::string report_tables(std::string_view score_json, const ReportContext& context, const RawAnswers* raw,
                          std::vector<Table>& tables) {
  if (auto problem = check_score_document(score_json); !problem.empty()) return problem;
  try {
    const json doc = json::parse(score_json);
    tables.clear();
    tables.push_back(summary_table(doc, context));
    tables.push_back(competency_table(doc));
    tables.push_back(statement_table(doc));
    tables.push_back(group_table(doc));
    if (raw) tables.push_back(answer_table(*raw));
    tables.push_back(benchmark_table(context.sections));
    tables.push_back(change_table(context.sections));
    tables.push_back(action_table(context.sections));
    tables.push_back(decision_table(context.sections));
  } catch (const json::exception& e) {
    return std::string("not a complete score document: ") + e.what();
  }
  return {};
}

std::string table_csv(const Table& table) {
  std::string out;
  for (std::size_t c = 0; c < table.columns.size(); ++c) out += (c ? "," : "") + csv_field(table.columns[c].name);
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) out += ',';
      const Cell& cell = row[c];
      switch (cell.kind) {
        case Cell::Kind::empty: break;
        case Cell::Kind::text: out += csv_field(cell.text); break;
        case Cell::Kind::number: out += csv_number(cell.number); break;
        case Cell::Kind::flag: out += cell.flag ? "true" : "false"; break;
      }
    }
    out += "\r\n";
  }
  return out;
}

std::string write_csv_tables(const std::string& directory, std::string_view score_json, const ReportContext& context,
                             const RawAnswers* raw) {
  std::vector<Table> tables;
  if (auto problem = report_tables(score_json, context, raw, tables); !problem.empty()) return problem;
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return "cannot create " + directory + ": " + error.message();
  for (const auto& table : tables) {
    const auto path = (std::filesystem::path(directory) / table.file).string();
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << table_csv(table);
    file.close();
    if (!file) return "cannot write " + path;
  }
  return {};
}

}  // namespace cxm::report
