#include "core/scoring.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace cxm::core {

AgreementClass classify_agreement(double rwg_value, bool bimodal) {
  if (bimodal || rwg_value < 0.50) return AgreementClass::disagreement;
  if (rwg_value >= 0.70) return AgreementClass::agreement;
  return AgreementClass::mixed;
}

const char* to_string(AgreementClass value) {
  switch (value) {
    case AgreementClass::agreement:
      return "agreement";
    case AgreementClass::mixed:
      return "mixed";
    case AgreementClass::disagreement:
      return "disagreement";
  }
  return "mixed";
}

double normalize(const Scale& scale, double mean) {
  return (mean - scale.min) / static_cast<double>(scale.max - scale.min) * 100.0;
}

std::size_t answers_to_count(std::size_t min_group_size, std::size_t answering) {
  return std::min(min_group_size, answering);
}

ItemResult score_item(const Scale& scale, std::size_t item, std::span<const std::size_t> counts,
                      std::size_t rows, bool reverse) {
  ItemResult r;
  r.item = item;
  r.histogram.assign(counts.begin(), counts.end());
  r.stats = describe_histogram(counts, scale.min);
  r.missing = rows - r.stats.n;
  // Mirrored answers min + max - a have the mean min + max - mean, whose
  // normalized score is 100 minus the mean's.
  if (r.stats.mean) r.score = normalize(scale, *r.stats.mean);
  if (r.score && reverse) r.score = 100.0 - *r.score;
  r.bimodal = is_bimodal(counts);
  if (r.stats.variance) {
    r.sd = std::sqrt(*r.stats.variance);
    r.rwg = rwg(*r.stats.variance, scale.points());
    r.agreement = classify_agreement(*r.rwg, r.bimodal);
  }
  return r;
}

namespace {

std::optional<double> mean_of_present(std::span<const std::optional<double>> values) {
  double sum = 0.0;
  std::size_t n = 0;
  for (const auto& v : values) {
    if (v) {
      sum += *v;
      ++n;
    }
  }
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

// Exact integer sums of the sum score over complete rows, for alpha.
struct SumScore {
  std::size_t n = 0;
  std::int64_t sum = 0;
  std::int64_t sum_squares = 0;

  double variance() const {
    const auto nn = static_cast<std::int64_t>(n);
    return static_cast<double>(nn * sum_squares - sum * sum) / static_cast<double>(nn * (nn - 1));
  }
};

// Stage evidence (index 0 = stage 2) over the given items: a statement
// counts when it has at least `needed` answers (and a score), the evidence
// rule; the stage's score is the mean of its counted statements' scores.
std::vector<StageEvidence> stage_evidence(const Model& model, const std::vector<ItemResult>& items,
                                          std::span<const std::size_t> item_indices,
                                          std::size_t needed) {
  const auto stages = static_cast<std::size_t>(std::max(model.stage_count() - 1, 0));
  std::vector<double> sum(stages, 0.0);
  std::vector<StageEvidence> evidence(stages);
  for (std::size_t i : item_indices) {
    const auto slot = static_cast<std::size_t>(model.items[i].stage - 2);
    ++evidence[slot].statements;
    if (!items[i].score || items[i].stats.n < needed) continue;
    sum[slot] += *items[i].score;
    ++evidence[slot].counted;
  }
  for (std::size_t s = 0; s < stages; ++s) {
    if (evidence[s].counted > 0)
      evidence[s].score = sum[s] / static_cast<double>(evidence[s].counted);
  }
  return evidence;
}

// Strengths are the best `limit` entries with a score, weaknesses the
// weakest `limit` (weakest first); ties keep model order. At most half of
// the scored entries go to each side, so no entry is both.
// Only entries `counts` accepts take part.
template <typename Result, typename IndexOf, typename Counts>
void rank(const std::vector<Result>& results, std::size_t limit, IndexOf index_of, Counts counts,
          std::vector<std::size_t>& strengths, std::vector<std::size_t>& weaknesses) {
  std::vector<const Result*> scored;
  for (const auto& r : results) {
    if (r.score && counts(r)) scored.push_back(&r);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const Result* a, const Result* b) { return *a->score > *b->score; });
  const std::size_t k = std::min(limit, scored.size() / 2);
  for (std::size_t i = 0; i < k; ++i) {
    strengths.push_back(index_of(*scored[i]));
    weaknesses.push_back(index_of(*scored[scored.size() - 1 - i]));
  }
}

}  // namespace

GroupResult score_group(const Model& model, const Responses& responses,
                        std::size_t min_group_size) {
  std::vector<std::size_t> rows(responses.size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return score_group(model, responses, rows, min_group_size);
}

std::optional<double> theme_score(const Model& model, const GroupResult& group,
                                  std::string_view theme, std::size_t min_group_size,
                                  std::size_t* counted) {
  const std::size_t needed = answers_to_count(min_group_size, group.answering);
  std::vector<std::optional<double>> scores;
  std::size_t n = 0;
  for (const auto& item : group.items) {
    if (!model.items[item.item].has_theme(theme) || !item.score || item.stats.n < needed) continue;
    scores.push_back(item.score);
    ++n;
  }
  if (counted) *counted = n;
  return mean_of_present(scores);
}

std::optional<double> silo_score(const Model& model, const GroupResult& group,
                                 std::size_t min_group_size, std::size_t* counted) {
  return theme_score(model, group, kSiloTheme, min_group_size, counted);
}

GroupResult score_group(const Model& model, const Responses& responses,
                        std::span<const std::size_t> rows, std::size_t min_group_size) {
  const Scale& scale = model.scale;
  const auto points = static_cast<std::size_t>(scale.points());
  const std::size_t item_count = model.items.size();
  const std::size_t competency_count = model.competencies.size();

  std::vector<std::vector<std::size_t>> items_of(competency_count);
  for (std::size_t i = 0; i < item_count; ++i) items_of[model.items[i].competency].push_back(i);

  // One pass over the rows: histograms over all answers, and over the rows
  // complete for each competency (listwise deletion for rwg(j) and alpha).
  std::vector<std::size_t> counts(item_count * points, 0);
  std::vector<std::size_t> complete_counts(item_count * points, 0);
  std::vector<SumScore> sum_scores(competency_count);
  GroupResult result;
  result.respondents = rows.size();
  for (std::size_t r : rows) {
    const std::int8_t* answers = responses.row(r);
    bool any = false;
    for (std::size_t i = 0; i < item_count; ++i) {
      if (answers[i] == kMissing) continue;
      any = true;
      ++counts[i * points + static_cast<std::size_t>(answers[i] - scale.min)];
    }
    if (!any) continue;
    ++result.answering;
    for (std::size_t c = 0; c < competency_count; ++c) {
      const auto& members = items_of[c];
      const bool complete = std::all_of(members.begin(), members.end(),
                                        [&](std::size_t i) { return answers[i] != kMissing; });
      if (!complete) continue;
      // Alpha's sum score adds the answers as scored (reversed ones
      // mirrored); an item's variance is the same either way.
      std::int64_t sum = 0;
      for (std::size_t i : members) {
        ++complete_counts[i * points + static_cast<std::size_t>(answers[i] - scale.min)];
        sum += scored_answer(scale, model.items[i], answers[i]);
      }
      auto& s = sum_scores[c];
      ++s.n;
      s.sum += sum;
      s.sum_squares += sum * sum;
    }
  }

  result.items.reserve(item_count);
  for (std::size_t i = 0; i < item_count; ++i) {
    result.items.push_back(
        score_item(scale, i, std::span<const std::size_t>(counts).subspan(i * points, points),
                   rows.size(), model.items[i].reverse));
  }

  const std::size_t needed = answers_to_count(min_group_size, result.answering);
  std::vector<std::optional<double>> competency_scores;
  for (std::size_t c = 0; c < competency_count; ++c) {
    CompetencyResult cr;
    cr.competency = c;
    std::vector<std::optional<double>> item_scores;
    double sum_variances = 0.0;
    for (std::size_t i : items_of[c]) {
      item_scores.push_back(result.items[i].score);
      const auto complete = describe_histogram(
          std::span<const std::size_t>(complete_counts).subspan(i * points, points), scale.min);
      sum_variances += complete.variance.value_or(0.0);
    }
    cr.score = mean_of_present(item_scores);
    cr.stage =
        apply_stage_rule(stage_evidence(model, result.items, items_of[c], needed), model.threshold);
    const SumScore& s = sum_scores[c];
    cr.rwg_j.n = cr.alpha.n = s.n;
    if (s.n >= 2 && !items_of[c].empty()) {
      const double k = static_cast<double>(items_of[c].size());
      cr.rwg_j.value = rwg_j(sum_variances / k, items_of[c].size(), scale.points());
      cr.alpha.value = cronbach_alpha(items_of[c].size(), sum_variances, s.variance());
    }
    competency_scores.push_back(cr.score);
    result.competencies.push_back(std::move(cr));
  }
  result.overall_score = mean_of_present(competency_scores);

  std::vector<std::size_t> all_items(item_count);
  std::iota(all_items.begin(), all_items.end(), std::size_t{0});
  result.stage =
      apply_stage_rule(stage_evidence(model, result.items, all_items, needed), model.threshold);

  const int next = result.stage.stage + 1;
  for (const auto& item : result.items) {
    if (model.items[item.item].stage == next && item.score && *item.score < model.threshold) {
      result.next_stage_gaps.push_back(item.item);
    }
  }
  std::stable_sort(result.next_stage_gaps.begin(), result.next_stage_gaps.end(),
                   [&](std::size_t a, std::size_t b) {
                     return *result.items[a].score < *result.items[b].score;
                   });

  auto competency_index = [](const CompetencyResult& c) { return c.competency; };
  auto item_index = [](const ItemResult& i) { return i.item; };
  rank(
      result.competencies, kRankedCompetencies, competency_index,
      [](const CompetencyResult&) { return true; }, result.strengths.competencies,
      result.weaknesses.competencies);
  // A statement too few answered to count for a stage (the evidence rule) is
  // no strength or weakness either: two answers of forty say little.
  rank(
      result.items, kRankedItems, item_index,
      [needed](const ItemResult& i) { return i.stats.n >= needed; }, result.strengths.items,
      result.weaknesses.items);
  return result;
}

}  // namespace cxm::core
