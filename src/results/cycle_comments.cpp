#include "results/cycle_comments.h"

#include <algorithm>
#include <map>

#include "results/published_result.h"

namespace cxm::results {

CycleComments cycle_comments(const store::Cycle& cycle, const core::Model& model,
                             const std::vector<store::ParticipantAnswers>& answers,
                             const std::vector<store::CycleComment>& stored) {
  CycleComments out;
  out.min_group = cycle.anonymous ? static_cast<std::size_t>(std::max(cycle.min_group_size, 3)) : 1;
  // Whose comments the report's published responses allow, and whether
  // each answered themselves.
  std::map<std::string, bool> supplied;
  for (const auto& p : published_answers(cycle, answers))
    supplied[p.participant.id] = !p.participant.import_id.empty();
  if (cycle.anonymous && cycle.releases == 0) {
    out.withheld = "comments are shown once results are released: at a close with at least " +
                   std::to_string(out.min_group) + " responses from people who answered themselves";
  }
  for (const auto& c : stored) {
    const auto who = supplied.find(c.participant_id);
    if (who == supplied.end()) continue;
    out.entries.push_back(
        core::CommentEntry{c.id, c.competency_id, c.text, who->second, c.hidden, c.hidden_reason});
  }
  // Keyed by the model's id, not the cycle's: the order depends only on the
  // texts, so a cycle moved to another instance (new ids) reads the same,
  // and `cxm score` orders the same comments the same way.
  out.groups = core::shown_comments(model, out.entries, out.min_group, model.id);
  if (!out.withheld.empty()) {
    for (auto& g : out.groups) {
      g.shown.clear();
      g.hidden.clear();
      g.withheld = out.withheld;
    }
  }
  return out;
}

}  // namespace cxm::results
