#include "core/comparison.h"

#include "core/scoring.h"

namespace cxm::core {
namespace {

ScoreDifference difference(std::span<const double> a, std::span<const double> b) {
  ScoreDifference d;
  d.a = summarize(a);
  d.b = summarize(b);
  d.difference = welch_difference(d.a, d.b);
  d.effect_size = cohens_d(d.a, d.b);
  return d;
}

}  // namespace

std::vector<double> respondent_scores(const Model& model, const Responses& responses,
                                      std::span<const std::size_t> rows,
                                      std::optional<std::size_t> competency) {
  const std::size_t competency_count = model.competencies.size();
  std::vector<double> sums(competency_count);
  std::vector<std::size_t> counts(competency_count);
  std::vector<double> scores;
  scores.reserve(rows.size());
  for (std::size_t r : rows) {
    std::fill(sums.begin(), sums.end(), 0.0);
    std::fill(counts.begin(), counts.end(), 0);
    const std::int8_t* answers = responses.row(r);
    for (std::size_t i = 0; i < model.items.size(); ++i) {
      if (answers[i] == kMissing) continue;
      sums[model.items[i].competency] += answers[i];
      ++counts[model.items[i].competency];
    }
    if (competency) {
      const std::size_t c = *competency;
      if (counts[c] > 0) scores.push_back(normalize(model.scale, sums[c] / counts[c]));
      continue;
    }
    double total = 0.0;
    std::size_t answered = 0;
    for (std::size_t c = 0; c < competency_count; ++c) {
      if (counts[c] == 0) continue;
      total += normalize(model.scale, sums[c] / counts[c]);
      ++answered;
    }
    if (answered > 0) scores.push_back(total / static_cast<double>(answered));
  }
  return scores;
}

GroupComparison compare_groups(const Model& model, const Responses& a,
                               std::span<const std::size_t> rows_a, const Responses& b,
                               std::span<const std::size_t> rows_b) {
  GroupComparison result;
  result.overall = difference(respondent_scores(model, a, rows_a, std::nullopt),
                              respondent_scores(model, b, rows_b, std::nullopt));
  for (std::size_t c = 0; c < model.competencies.size(); ++c) {
    result.competencies.push_back(difference(respondent_scores(model, a, rows_a, c),
                                             respondent_scores(model, b, rows_b, c)));
  }
  return result;
}

}  // namespace cxm::core
