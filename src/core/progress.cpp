#include "core/progress.h"

namespace cxm::core {

const char* to_string(ChangeVerdict verdict) {
  switch (verdict) {
    case ChangeVerdict::improved:
      return "improved";
    case ChangeVerdict::declined:
      return "declined";
    case ChangeVerdict::no_clear_change:
      return "no clear change";
  }
  return "no clear change";
}

ChangeVerdict change_verdict(const MeanDifference& change) {
  if (!change.ci_low || !change.ci_high) return ChangeVerdict::no_clear_change;
  if (*change.ci_low > 0) return ChangeVerdict::improved;
  if (*change.ci_high < 0) return ChangeVerdict::declined;
  return ChangeVerdict::no_clear_change;
}

namespace {

ScoreChange score_change(const SampleSummary& before, const SampleSummary& after) {
  ScoreChange c;
  c.before = before;
  c.after = after;
  c.change = welch_difference(after, before);
  c.verdict = change_verdict(c.change);
  return c;
}

}  // namespace

Progress progress_between(const CycleStanding& before, const CycleStanding& after) {
  Progress p;
  p.overall = score_change(before.summary.overall, after.summary.overall);
  p.stage_before = before.stage;
  p.stage_after = after.stage;
  p.same_model =
      before.model->id == after.model->id && before.model->version == after.model->version;
  for (std::size_t c = 0; c < after.model->competencies.size(); ++c) {
    const std::string& id = after.model->competencies[c].id;
    const auto earlier = before.model->find_competency(id);
    if (!earlier || *earlier >= before.summary.competencies.size() ||
        c >= after.summary.competencies.size())
      continue;
    p.competencies.push_back(
        {id, score_change(before.summary.competencies[*earlier], after.summary.competencies[c])});
  }
  return p;
}

}  // namespace cxm::core
