// Benchmark budget (SPEC section 7): percentile ranks and quartiles against
// 1,000,000 stored assessments <= 20 ms, with a filter. One query here is
// the whole comparison a page shows: overall and 7 competencies
// (percentile, median, quartiles) and the stage distribution.
// Run: build/bench_benchmark (median of 10 repetitions).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/benchmark.h"

namespace {

using namespace cxm::core;

const char* kCompetencies[] = {"leadership", "governance", "insight", "operations",
                               "metrics",    "people",     "brand"};

// 20 industries x 5 size bands x 8 regions, 10 years of dates.
PeerTable peers(std::size_t n) {
  std::mt19937 random(42);
  std::normal_distribution<double> score(55, 15);
  PeerTable t;
  for (const char* c : kCompetencies) t.competency_ids.push_back(c);
  t.rows.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    PeerAssessment p;
    p.organization = "org" + std::to_string(i);
    p.industry = "industry" + std::to_string(random() % 20);
    p.size_band = "size" + std::to_string(random() % 5);
    p.region = "region" + std::to_string(random() % 8);
    p.assessed_on = static_cast<Day>(18000 + random() % 3650);
    p.model_id = "cx-maturity";
    p.stage = 1 + static_cast<int>(random() % 6);
    auto clamp = [](double v) { return std::round(std::clamp(v, 0.0, 100.0) * 10) / 10; };
    p.overall = clamp(score(random));
    for (std::size_t c = 0; c < t.competency_ids.size(); ++c)
      p.competencies.push_back(clamp(score(random)));
    t.rows.push_back(std::move(p));
  }
  return t;
}

const PeerIndex& index() {
  static const PeerIndex built(peers(1'000'000));
  return built;
}

OwnScores own() {
  OwnScores o{57.3, {}};
  for (const char* c : kCompetencies) o.competencies.push_back({c, 48.9});
  return o;
}

void run(benchmark::State& state, const PeerFilter& filter) {
  const PeerIndex& i = index();
  const OwnScores o = own();
  std::size_t peers = 0;
  for (auto _ : state) {
    const auto r = i.compare(filter, o);
    peers = r.peers;
    benchmark::DoNotOptimize(r);
  }
  state.counters["peers"] = static_cast<double>(peers);
}

void BM_Compare_All(benchmark::State& state) { run(state, {}); }
void BM_Compare_Industry(benchmark::State& state) {
  PeerFilter f;
  f.industry = "industry3";
  run(state, f);
}
void BM_Compare_SizeSince(benchmark::State& state) {
  PeerFilter f;
  f.size_band = "size2";
  f.since = 18000 + 1825;
  run(state, f);
}
void BM_Compare_EveryFilter(benchmark::State& state) {
  PeerFilter f{"cx-maturity", "industry3", "size2", "region5", 18000 + 1000, 18000 + 3000};
  run(state, f);
}
BENCHMARK(BM_Compare_All)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(10)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_Compare_Industry)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(10)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_Compare_SizeSince)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(10)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_Compare_EveryFilter)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(10)
    ->ReportAggregatesOnly(true);

// Building the index from a parsed table of 1,000,000 rows (once per dataset).
void BM_BuildIndex(benchmark::State& state) {
  const PeerTable t = peers(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(PeerIndex(t));
}
BENCHMARK(BM_BuildIndex)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(3)
    ->Iterations(1)
    ->ReportAggregatesOnly(true);

}  // namespace

BENCHMARK_MAIN();
