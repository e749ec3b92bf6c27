// The report files of a cycle of 1,000 respondents (issue 13: each under
// 200 ms): the printable HTML page and the XLSX workbook, from the score
// document, as the server makes them.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "core/cycle_scoring.h"
#include "core/synthetic.h"
#include "model/model_parser.h"
#include "report/html_report.h"
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

void BM_ScoreAndHtml(benchmark::State& state) {
  const auto model = *cxm::model::load_default_model().model;
  cxm::core::SyntheticProfile profile;
  profile.respondents = 1000;
  const auto responses = cxm::core::synthetic_responses(model, profile);
  for (auto _ : state) {
    const auto doc = cxm::report::score_document_json(model, cxm::core::score_cycle(model, responses), -1);
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
