#include "core/discussion.h"

#include <algorithm>
#include <tuple>

namespace cxm::core {
namespace {

// Lower is worse agreement: the order of the agenda and of convergence.
int agreement_rank(AgreementClass c) {
  switch (c) {
    case AgreementClass::disagreement:
      return 0;
    case AgreementClass::mixed:
      return 1;
    case AgreementClass::agreement:
      return 2;
  }
  return 1;
}

Importance importance_of(const Item& item, int current_stage) {
  if (item.stage == current_stage + 1) return Importance::next_stage;
  if (item.stage <= current_stage) return Importance::attained;
  return Importance::later;
}

}  // namespace

const char* to_string(Importance value) {
  switch (value) {
    case Importance::next_stage:
      return "next_stage";
    case Importance::attained:
      return "attained";
    case Importance::later:
      return "later";
  }
  return "later";
}

const char* to_string(Convergence value) {
  switch (value) {
    case Convergence::converged:
      return "converged";
    case Convergence::unchanged:
      return "unchanged";
    case Convergence::diverged:
      return "diverged";
    case Convergence::not_enough_answers:
      return "not_enough_answers";
  }
  return "not_enough_answers";
}

std::vector<AgendaEntry> discussion_agenda(const Model& model, const GroupResult& group) {
  std::vector<AgendaEntry> agenda;
  for (const ItemResult& r : group.items) {
    if (!r.agreement || !r.rwg) continue;
    agenda.push_back(
        {r.item, *r.agreement, importance_of(model.items[r.item], group.stage.stage), *r.rwg});
  }
  std::stable_sort(agenda.begin(), agenda.end(), [](const AgendaEntry& a, const AgendaEntry& b) {
    return std::tuple(agreement_rank(a.agreement), a.importance, a.rwg, a.item) <
           std::tuple(agreement_rank(b.agreement), b.importance, b.rwg, b.item);
  });
  return agenda;
}

RoundComparison compare_rounds(const ItemResult& before, const ItemResult& after) {
  RoundComparison out{before.rwg, after.rwg, before.sd, after.sd, Convergence::not_enough_answers};
  if (!before.rwg || !after.rwg || !before.agreement || !after.agreement) return out;
  const int from = agreement_rank(*before.agreement);
  const int to = agreement_rank(*after.agreement);
  const double change = *after.rwg - *before.rwg;
  // A small tolerance so that a rise of exactly one step is not lost to
  // rounding in the variances.
  constexpr double kEpsilon = 1e-12;
  if (to > from || (to == from && change >= kConvergenceStep - kEpsilon)) {
    out.verdict = Convergence::converged;
  } else if (to < from || (to == from && change <= -kConvergenceStep + kEpsilon)) {
    out.verdict = Convergence::diverged;
  } else {
    out.verdict = Convergence::unchanged;
  }
  return out;
}

}  // namespace cxm::core
