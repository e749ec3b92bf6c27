// The benchmark document: the JSON answer of `cxm benchmark` (SPEC section
// 5) and of GET /api/orgs/{org}/benchmark. Also reads what a comparison
// needs of a score document (`cxm score --json`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/benchmark.h"

namespace cxm::report {

struct ScoreDocument;  // report/score_document_types.h

inline constexpr const char* kBenchmarkSchema = "cxm.benchmark/1";

// Our side of a comparison, read from a score document.
struct OwnAssessment {
  std::string model_id;
  core::OwnScores scores;
  std::optional<int> stage;                   // absent for a pulse
  std::vector<std::string> stage_names;       // stage s is stage_names[s - 1]
  std::vector<std::string> competency_names;  // as scores.competencies
  // Who the scores come from: every respondent, and of them those whose
  // answers the facilitator imported, and the cycle's minimum group.
  long long respondents = 0, imported = 0, min_group_size = 0;
};

// Reads a score document; on a problem sets `error` (one line) and returns nullopt.
// A pulse has no stage and is not compared: that is an error too.
std::optional<OwnAssessment> own_assessment_from_score_document(std::string_view score_json,
                                                                std::string& error);
// The same from a document already read (a cycle's report on the server).
std::optional<OwnAssessment> own_assessment_from_score_document(const ScoreDocument& document,
                                                                std::string& error);

// {schema, dataset:{name, source, citation, licence, published_on, synthetic,
// assessments}, filter:{model_id, industry, size_band, region, since, until},
// peers, missing, minimum_peers, overall:{score, percentile, n, median, q1, q3,
// missing}, competencies:[{id, name, score, percentile, n, median, q1, q3,
// missing, in_dataset}], stages:{ours, n, counts:[{number, name, peers}]}}.
// Figures withheld by the 5-peer rule are null.
std::string benchmark_document_json(const core::DatasetProvenance& dataset,
                                    std::size_t dataset_rows, const core::PeerFilter& filter,
                                    const OwnAssessment& own, const core::BenchmarkResult& result,
                                    int indent = 2);

}  // namespace cxm::report
