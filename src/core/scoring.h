// Scoring of a group of respondents against a model (SPEC section 3): item
// statistics and agreement, competency scores, rwg(j), Cronbach's alpha, the
// stage verdict, next-stage gaps, strengths and weaknesses.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/model.h"
#include "core/responses.h"
#include "core/stage_rule.h"
#include "core/statistics.h"

namespace cxm::core {

enum class AgreementClass { agreement, mixed, disagreement };

// Agreement >= 0.70 rwg; disagreement below 0.50 or a bimodal histogram.
AgreementClass classify_agreement(double rwg, bool bimodal);
const char* to_string(AgreementClass value);

struct ItemResult {
  std::size_t item = 0;                     // index into Model::items
  std::vector<std::size_t> histogram;       // answers per scale point, min..max
  std::size_t missing = 0;                  // not answered or "don't know"
  Descriptives stats;                       // n, mean, median, variance
  std::optional<double> sd;                 // absent when n < 2
  std::optional<double> score;              // normalized 0..100; absent when n == 0
  std::optional<double> rwg;                // absent when n < 2
  std::optional<AgreementClass> agreement;  // absent when n < 2
  bool bimodal = false;
};

// A statistic computed over the respondents who answered every item of a
// competency (listwise deletion); `n` is how many such respondents there are.
struct ListwiseStatistic {
  std::optional<double> value;
  std::size_t n = 0;
};

struct CompetencyResult {
  std::size_t competency = 0;   // index into Model::competencies
  std::optional<double> score;  // mean of its item scores
  StageVerdict stage;           // the stage rule inside this competency
  ListwiseStatistic rwg_j;      // absent when n < 2
  ListwiseStatistic alpha;      // absent when n < 2, k < 2 or no variance
};

struct Ranking {
  std::vector<std::size_t> competencies;  // indices into Model::competencies
  std::vector<std::size_t> items;         // indices into Model::items
};

struct GroupResult {
  std::size_t respondents = 0;          // rows scored
  std::size_t answering = 0;            // rows with at least one answer
  std::optional<double> overall_score;  // mean of competency scores
  StageVerdict stage;
  std::vector<CompetencyResult> competencies;  // in model order
  std::vector<ItemResult> items;               // in model order
  std::vector<std::size_t> next_stage_gaps;    // items of stage s+1 below threshold, weakest first
  Ranking strengths;                           // best first
  Ranking weaknesses;                          // weakest first
};

// How many competencies and items the strengths and weaknesses name at
// most; each side takes at most half of the scored ones, so none is both.
inline constexpr std::size_t kRankedCompetencies = 3;
inline constexpr std::size_t kRankedItems = 5;

// Scores the given rows of `responses` (indices, each < responses.size());
// the second overload scores every row. `responses.item_count()` must equal
// `model.items.size()` and every stored value must be a scale point or kMissing.
GroupResult score_group(const Model& model, const Responses& responses,
                        std::span<const std::size_t> rows);
GroupResult score_group(const Model& model, const Responses& responses);

// One statement's figures from its answers per scale point (`counts`,
// min..max) out of `rows` people asked (those without a point are missing).
ItemResult score_item(const Scale& scale, std::size_t item, std::span<const std::size_t> counts,
                      std::size_t rows);

// Normalized score of a mean answer: (mean - min) / (max - min) * 100.
double normalize(const Scale& scale, double mean);

}  // namespace cxm::core
