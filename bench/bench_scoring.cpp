// Scoring budget (SPEC section 7): 10,000 respondents x 40 items <= 5 ms.
// Run: make bench (reports the median of 10 repetitions).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>

#include "core/cycle_scoring.h"
#include "core/scoring.h"

namespace {

using namespace cxm::core;

// 8 competencies x stages 2..6 = 40 items, 1-5 scale, four roles.
Model bench_model() {
  Model m;
  m.id = "bench";
  m.scale = Scale{1, 5, {"1", "2", "3", "4", "5"}, "Don't know"};
  for (int s = 1; s <= 6; ++s)
    m.stages.push_back(Stage{s, "s" + std::to_string(s), "Stage", "", "", {}});
  for (const char* role : {"executive", "manager", "frontline", "other"})
    m.roles.push_back({role, role});
  for (std::size_t c = 0; c < 8; ++c) {
    m.competencies.push_back(Competency{"c" + std::to_string(c), "C", "", ""});
    for (int s = 2; s <= 6; ++s)
      m.items.push_back(
          Item{"c" + std::to_string(c) + "s" + std::to_string(s), c, s, "", false, 0, {}, false});
  }
  return m;
}

// Answers drift down with the stage; 5% "don't know"; 10 units.
Responses bench_responses(const Model& model, std::size_t respondents) {
  std::mt19937 random(42);
  std::uniform_int_distribution<int> noise(-1, 1);
  std::uniform_int_distribution<int> percent(0, 99);
  Responses responses(model.items.size());
  for (std::size_t r = 0; r < respondents; ++r) {
    const std::size_t row = responses.add(Respondent{"r" + std::to_string(r), model.roles[r % 4].id,
                                                     "unit" + std::to_string(r % 10)});
    for (std::size_t i = 0; i < model.items.size(); ++i) {
      if (percent(random) < 5) continue;
      const int value = std::clamp(6 - model.items[i].stage + 1 + noise(random), 1, 5);
      responses.set(row, i, static_cast<std::int8_t>(value));
    }
  }
  return responses;
}

void BM_ScoreGroup(benchmark::State& state) {
  const Model model = bench_model();
  const Responses responses = bench_responses(model, static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(score_group(model, responses));
  state.SetItemsProcessed(state.iterations() * state.range(0) * 40);
}
BENCHMARK(BM_ScoreGroup)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(10)
    ->ReportAggregatesOnly(true);

// The whole cycle: group, 4 roles, 10 units and the role gaps.
void BM_ScoreCycle(benchmark::State& state) {
  const Model model = bench_model();
  const Responses responses = bench_responses(model, static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(score_cycle(model, responses));
  state.SetItemsProcessed(state.iterations() * state.range(0) * 40);
}
BENCHMARK(BM_ScoreCycle)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(10)
    ->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
