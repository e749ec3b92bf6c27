#include "core/comparison.h"

#include <algorithm>

#include "core/scoring.h"

namespace cxm::core {
namespace {

ScoreDifference difference(const SampleSummary& a, const SampleSummary& b) {
  ScoreDifference d;
  d.a = a;
  d.b = b;
  d.difference = welch_difference(a, b);
  d.effect_size = cohens_d(a, b);
  return d;
}

}  // namespace

RespondentScores respondent_scores(const Model& model, const Responses& responses,
                                   std::span<const std::size_t> rows) {
  const std::size_t competency_count = model.competencies.size();
  RespondentScores scores;
  scores.competencies.resize(competency_count);
  std::vector<int> sums(competency_count);
  std::vector<int> counts(competency_count);
  for (std::size_t r : rows) {
    std::fill(sums.begin(), sums.end(), 0);
    std::fill(counts.begin(), counts.end(), 0);
    const std::int8_t* answers = responses.row(r);
    for (std::size_t i = 0; i < model.items.size(); ++i) {
      if (answers[i] == kMissing) continue;
      // As scored: a statement worded in reverse counts mirrored.
      sums[model.items[i].competency] += scored_answer(model.scale, model.items[i], answers[i]);
      ++counts[model.items[i].competency];
    }
    double total = 0.0;
    std::size_t answered = 0;
    for (std::size_t c = 0; c < competency_count; ++c) {
      if (counts[c] == 0) continue;
      const double score = normalize(model.scale, static_cast<double>(sums[c]) / counts[c]);
      scores.competencies[c].push_back(score);
      total += score;
      ++answered;
    }
    if (answered > 0) scores.overall.push_back(total / static_cast<double>(answered));
  }
  return scores;
}

GroupSummary summarize(const RespondentScores& scores) {
  GroupSummary summary;
  for (const auto& c : scores.competencies) summary.competencies.push_back(summarize(c));
  summary.overall = summarize(scores.overall);
  return summary;
}

std::vector<RoleSummary> summarize_by_role(const Model& model, const Responses& responses,
                                           std::span<const std::size_t> rows) {
  std::vector<std::string> roles;
  for (const auto& r : model.roles) roles.push_back(r.id);
  std::vector<std::vector<std::size_t>> members(roles.size());
  for (std::size_t row : rows) {
    const std::string& role = responses.respondent(row).role;
    if (role.empty()) continue;
    auto it = std::find(roles.begin(), roles.end(), role);
    if (it == roles.end()) {
      roles.push_back(role);
      members.emplace_back();
      it = roles.end() - 1;
    }
    members[static_cast<std::size_t>(it - roles.begin())].push_back(row);
  }
  std::vector<RoleSummary> out;
  for (std::size_t r = 0; r < roles.size(); ++r) {
    if (members[r].empty()) continue;
    out.push_back({roles[r], summarize(respondent_scores(model, responses, members[r]))});
  }
  return out;
}

GroupComparison compare(const GroupSummary& a, const GroupSummary& b) {
  GroupComparison result;
  result.overall = difference(a.overall, b.overall);
  for (std::size_t c = 0; c < a.competencies.size() && c < b.competencies.size(); ++c) {
    result.competencies.push_back(difference(a.competencies[c], b.competencies[c]));
  }
  return result;
}

GroupComparison compare_groups(const Model& model, const Responses& a,
                               std::span<const std::size_t> rows_a, const Responses& b,
                               std::span<const std::size_t> rows_b) {
  return compare(summarize(respondent_scores(model, a, rows_a)),
                 summarize(respondent_scores(model, b, rows_b)));
}

}  // namespace cxm::core
