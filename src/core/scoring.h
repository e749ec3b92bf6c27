// Scoring of a group of respondents against a model (SPEC section 3): item
// statistics and agreement, competency scores, rwg(j), Cronbach's alpha, the
// stage verdict, next-stage gaps, strengths and weaknesses.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
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

// A statement's histogram, mean and median are as answered; its score is
// reversed for a statement worded in reverse (Item::reverse): 100 minus the
// normalized mean, the score of the mirrored answers min + max - a.
struct ItemResult {
  std::size_t item = 0;                     // index into Model::items
  std::vector<std::size_t> histogram;       // answers per scale point, min..max
  std::size_t missing = 0;                  // not answered or "don't know"
  Descriptives stats;                       // n, mean, median, variance (as answered)
  std::optional<double> sd;                 // absent when n < 2
  std::optional<double> score;              // normalized 0..100 (reversed); absent when n == 0
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
  ListwiseStatistic alpha;      // absent when n < 2, k < 2 or no variance (reversed items mirrored)
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

// The minimum group size of a cycle unless it says otherwise (SPEC section 3).
inline constexpr std::size_t kDefaultMinGroupSize = 3;

// How many answers (not "don't know") a statement needs to count for a
// stage (the evidence rule, SPEC section 3): the smaller of the minimum
// group size and the number of respondents, those who answered anything
// (GroupResult::answering; rows with no answer at all are nobody's view).
// A one-person self-test needs 1: it is judged on every answer it gives.
std::size_t answers_to_count(std::size_t min_group_size, std::size_t answering);

// Scores the given rows of `responses` (indices, each < responses.size());
// the second overload scores every row. `responses.item_count()` must equal
// `model.items.size()` and every stored value must be a scale point or
// kMissing. `min_group_size` is the cycle's, for the evidence rule.
GroupResult score_group(const Model& model, const Responses& responses,
                        std::span<const std::size_t> rows,
                        std::size_t min_group_size = kDefaultMinGroupSize);
GroupResult score_group(const Model& model, const Responses& responses,
                        std::size_t min_group_size = kDefaultMinGroupSize);

// One statement's figures from its answers per scale point (`counts`,
// min..max) out of `rows` people asked (those without a point are missing);
// `reverse`: the statement is worded in reverse (its score is mirrored).
ItemResult score_item(const Scale& scale, std::size_t item, std::span<const std::size_t> counts,
                      std::size_t rows, bool reverse);

// A theme's score: the mean score of the model's statements with `theme`
// (each reversed when worded in reverse, as its score is) that count under
// the evidence rule (at least answers_to_count(min_group_size,
// group.answering) answers in `group`); absent when none counts.
// `counted` (when given) receives how many statements it rests on.
std::optional<double> theme_score(const Model& model, const GroupResult& group,
                                  std::string_view theme, std::size_t min_group_size,
                                  std::size_t* counted = nullptr);

// The silo score (SPEC section 3): theme_score of the `silo` statements.
std::optional<double> silo_score(const Model& model, const GroupResult& group,
                                 std::size_t min_group_size, std::size_t* counted = nullptr);

// Normalized score of a mean answer: (mean - min) / (max - min) * 100.
double normalize(const Scale& scale, double mean);

// The answer as scored: `answer` itself, or mirrored (min + max - answer)
// for a statement worded in reverse.
inline int scored_answer(const Scale& scale, const Item& item, int answer) {
  return item.reverse ? scale.min + scale.max - answer : answer;
}

}  // namespace cxm::core
