// Where a cycle stands among peers (SPEC sections 3 and 4.3): against a
// stored benchmark dataset or this instance's pool, and the rows both the
// pool and the instance's export take: each organization's latest closed
// assessment.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/benchmark.h"
#include "report/benchmark_document.h"
#include "results/cycle_cache.h"

namespace cxm::results {

using nlohmann::json;

// The dataset id that names this instance's pool.
inline constexpr const char* kPool = "pool";

// When a cycle's assessment took place: its closing date, else its creation.
core::Day assessed_on(const store::Cycle& cycle);

// One organization's latest closed assessment: its most recent closed full
// cycle (in the period, of the model, when asked) whose published report
// has a stage and an overall score. An anonymous cycle gives only its
// released results, as its report does.
struct LatestAssessment {
  const store::Organization* org;  // one of those passed to latest_assessments
  core::Day assessed_on = 0;
  report::OwnAssessment scores;
};
struct AssessmentFilter {
  std::optional<core::Day> since, until;
  std::optional<std::string> model_id;
};
// One row per organization of `orgs` that has one, in the order of `orgs`;
// demo organizations (synthetic data) never count. Blocks.
std::vector<LatestAssessment> latest_assessments(Results& results,
                                                 const std::vector<store::Organization>& orgs,
                                                 const AssessmentFilter& filter);

// Of `rows`, those that count as independent peers (core::independent_peers,
// SPEC section 8): with enough respondents who answered themselves, one per
// group of organizations linked by a shared member, and none linked to
// `asking_org` (empty: no organization asks, as for the instance's export).
// In the order of `rows`. Blocks.
std::vector<LatestAssessment> independent_assessments(Results& results,
                                                      std::vector<LatestAssessment> rows,
                                                      const std::string& asking_org);

// The stored dataset indexed, from the cache or built. Throws
// std::runtime_error when the stored rows no longer parse (corrupt data).
std::shared_ptr<const core::PeerIndex> dataset_index(Results& results,
                                                     const std::string& dataset_id);

// The comparison of `cycle` with `dataset_id` (kPool or a dataset's id) in
// the cut `filter`: the benchmark document (report::benchmark_document_json,
// with dataset.id, and `choices`: the industries, size bands and regions
// the dataset's comparable assessments have, for a filter to pick from;
// of the pool only those at least kMinimumPeers organizations have), or null when the cycle has no
// comparable result or the dataset is gone. The pool is every other member's latest assessment on
// the same model, of those independent of `org` (independent_assessments):
// one row per independent organization, so the 5-peer rule counts
// organizations no one asking can make up. Blocks.
json compare_cycle(Results& results, const store::Organization& org, const store::Cycle& cycle,
                   const std::string& dataset_id, core::PeerFilter filter);

// For a cycle's report: where it stands against `dataset` (a dataset id or
// kPool) or by default the pool when the organization contributes to it,
// else the newest dataset; null when there is none to compare with or the
// cycle has no comparable result. Blocks.
json report_benchmark(Results& results, const store::Organization& org, const store::Cycle& cycle,
                      const std::optional<std::string>& dataset);

}  // namespace cxm::results
