// The report files of a cycle of 1,000 respondents (issue 13: each under
// 200 ms): the printable HTML page, the XLSX workbook and the CSV tables,
// from the score document, as the server makes them — also with every
// section of a cycle on the server (peers, change, decisions, actions).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/cycle_scoring.h"
#include "core/synthetic.h"
#include "model/model_parser.h"
#include "report/html_report.h"
#include "report/report_tables.h"
#include "report/score_document.h"
#include "report/xlsx_report.h"

namespace {

const std::string& scored() {
  static const std::string doc = [] {
    const auto model = *cxm::model::load_default_model().model;
    cxm::core::SyntheticProfile profile;
    profile.respondents = 1000;
    profile.units = {"Sales", "Service", "Operations", "Marketing"};
    return cxm::report::score_document_json(
        model, cxm::core::score_cycle(model, cxm::core::synthetic_responses(model, profile)), -1);
  }();
  return doc;
}

// Every section filled: peers for the overall and each competency, the
// change since a previous cycle, a decision on every statement, 40 actions.
const cxm::report::ReportContext& with_sections() {
  static const cxm::report::ReportContext context = [] {
    using namespace cxm::report;
    ReportContext ctx;
    ctx.organization = "Northwind Retail";
    ctx.cycle = "Six-month follow-up";
    ctx.invited = 1200;
    const auto doc = nlohmann::json::parse(scored());
    BenchmarkSection b;
    b.dataset = "Clients 2025";
    b.source = "Example Consulting";
    b.citation = "Example Consulting (2025)";
    b.licence = "CC-BY-4.0";
    b.rows.push_back({"overall", "Overall", 52, 61, 400, 48, 39, 57});
    ChangeSection c;
    c.since = "First assessment";
    c.stage_before = 2;
    c.stage_after = 3;
    c.rows.push_back({"overall", "Overall", 40.0, 52.0, 12.0, 9.0, 15.0, "improved"});
    for (const auto& comp : doc["competencies"]) {
      b.rows.push_back(
          {comp["id"], comp["name"], comp["score"].get<double>(), 55, 400, 50, 41, 60});
      c.rows.push_back({comp["id"], comp["name"], 40.0, comp["score"].get<double>(), 5.0, -1.0,
                        11.0, "no clear change"});
    }
    ctx.sections.benchmark = b;
    ctx.sections.change = c;
    auto& decisions = ctx.sections.decisions.emplace();
    for (const auto& item : doc["items"])
      decisions.push_back({item["id"], item["text"], "Discussed at length", 3, "Neither"});
    auto& actions = ctx.sections.actions.emplace();
    for (int i = 0; i < 40; ++i)
      actions.push_back(
          {"Action " + std::to_string(i), "Owner", "2027-03-31", "planned", "insight"});
    return ctx;
  }();
  return context;
}

void BM_HtmlWithSections(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(cxm::report::render_html(scored(), with_sections()).output.size());
}
BENCHMARK(BM_HtmlWithSections)->Unit(benchmark::kMillisecond);

void BM_XlsxWithSections(benchmark::State& state) {
  const auto path =
      (std::filesystem::temp_directory_path() / "cxm-bench-report-sections.xlsx").string();
  for (auto _ : state)
    benchmark::DoNotOptimize(cxm::report::write_xlsx(path, scored(), with_sections()).size());
  std::filesystem::remove(path);
}
BENCHMARK(BM_XlsxWithSections)->Unit(benchmark::kMillisecond);

void BM_CsvTablesWithSections(benchmark::State& state) {
  const auto dir = (std::filesystem::temp_directory_path() / "cxm-bench-report-csv").string();
  for (auto _ : state)
    benchmark::DoNotOptimize(cxm::report::write_csv_tables(dir, scored(), with_sections()).size());
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_CsvTablesWithSections)->Unit(benchmark::kMillisecond);

void BM_ScoreAndHtml(benchmark::State& state) {
  const auto model = *cxm::model::load_default_model().model;
  cxm::core::SyntheticProfile profile;
  profile.respondents = 1000;
  const auto responses = cxm::core::synthetic_responses(model, profile);
  for (auto _ : state) {
    const auto doc =
        cxm::report::score_document_json(model, cxm::core::score_cycle(model, responses), -1);
    benchmark::DoNotOptimize(cxm::report::render_html(doc).output.size());
  }
}
BENCHMARK(BM_ScoreAndHtml)->Unit(benchmark::kMillisecond);

void BM_Html(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(cxm::report::render_html(scored()).output.size());
}
BENCHMARK(BM_Html)->Unit(benchmark::kMillisecond);

void BM_Xlsx(benchmark::State& state) {
  const auto path = (std::filesystem::temp_directory_path() / "cxm-bench-report.xlsx").string();
  for (auto _ : state) benchmark::DoNotOptimize(cxm::report::write_xlsx(path, scored()).size());
  std::filesystem::remove(path);
}
BENCHMARK(BM_Xlsx)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
