#include "core/plan.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace cxm::core {

const char* to_string(PlanActionKind kind) {
  switch (kind) {
    case PlanActionKind::obstacle:
      return "obstacle";
    case PlanActionKind::gap:
      return "gap";
    case PlanActionKind::sustain:
      return "sustain";
  }
  return "gap";
}

std::optional<PlanActionKind> plan_action_kind_from(std::string_view text) {
  for (auto kind : {PlanActionKind::obstacle, PlanActionKind::gap, PlanActionKind::sustain}) {
    if (text == to_string(kind)) return kind;
  }
  return std::nullopt;
}

PlanInput plan_input(const GroupResult& result) {
  PlanInput input;
  input.stage = result.stage.stage;
  for (const auto& c : result.competencies) input.competencies.push_back({c.score, c.stage.stage});
  for (const auto& i : result.items) input.item_scores.push_back(i.score);
  return input;
}

namespace {

std::string whole(double score) { return std::to_string(static_cast<long>(std::lround(score))); }

std::string stage_label(const Model& model, int number) {
  return "stage " + std::to_string(number) + " (" + model.stage(number).name + ")";
}

// "Gaining the alignment of key executives." -> "gaining the alignment of key executives"
std::string as_clause(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  if (text.size() > 1 && text[0] >= 'A' && text[0] <= 'Z' && !(text[1] >= 'A' && text[1] <= 'Z')) {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  return text;
}

std::vector<std::size_t> item_indices(const Model& model, const Action& action) {
  std::vector<std::size_t> out;
  for (const auto& id : action.items) {
    if (const auto i = model.find_item(id)) out.push_back(*i);
  }
  return out;
}

PlanAction from_library(const Model& model, const Action& action, PlanActionKind kind) {
  PlanAction out;
  out.kind = kind;
  out.title = action.title;
  out.detail = action.detail;
  out.owner = action.owner;
  out.success_measure = action.success_measure;
  out.items = item_indices(model, action);
  return out;
}

// A statement as a reason names it for a reader who does not know the
// model's ids: its text in quotes, shortened at a word boundary when long
// (the ids stay in the action's items); its id when it has no text.
std::string statement_name(const Item& item) {
  if (item.text.empty()) return item.id;
  constexpr std::size_t kLongest = 60;
  std::string text = item.text;
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  if (text.size() > kLongest) {
    const auto cut = text.rfind(' ', kLongest);
    if (cut != std::string::npos && cut >= kLongest / 2) {
      text.resize(cut);
      while (!text.empty() && (text.back() == ',' || text.back() == ';' || text.back() == ':'))
        text.pop_back();
      text += "\u2026";
    }
  }
  return "\u201c" + text + "\u201d";
}

// "“We act on complaints” (41 of 100) and “Teams see…” (not answered)": the
// statements an action should move, with where they stand now.
std::string items_phrase(const Model& model, const PlanInput& input,
                         const std::vector<std::size_t>& items) {
  std::string out;
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (k > 0) out += k + 1 == items.size() ? " and " : ", ";
    const auto& score = input.item_scores.at(items[k]);
    out += statement_name(model.items[items[k]]) +
           (score ? " (" + whole(*score) + " of 100)" : " (not answered)");
  }
  return out;
}

std::string moves_sentence(const Model& model, const PlanInput& input,
                           const std::vector<std::size_t>& items) {
  if (items.empty()) return "";
  return " It is meant to move " + items_phrase(model, input, items) + ".";
}

void add_obstacle_actions(const Model& model, const PlanInput& input, Plan& plan) {
  const Stage& stage = model.stage(input.stage);
  const bool top = input.stage == model.stage_count();
  for (const Action& action : stage.obstacle_actions) {
    PlanAction a = from_library(model, action, PlanActionKind::obstacle);
    a.target_stage = top ? input.stage : input.stage + 1;
    a.reason = "The organization is at " + stage_label(model, input.stage) +
               ", whose key obstacle is " + as_clause(stage.obstacle) + ". This action tackles it" +
               (top ? ", so that the organization stays at the top stage."
                    : " on the way to " + stage_label(model, input.stage + 1) + ".") +
               moves_sentence(model, input, a.items);
    plan.actions.push_back(std::move(a));
  }
}

// Mean score of the answered items of competency `c` at stage `stage`.
std::optional<double> stage_score(const Model& model, const PlanInput& input, std::size_t c,
                                  int stage) {
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < model.items.size(); ++i) {
    if (model.items[i].competency != c || model.items[i].stage != stage || !input.item_scores[i])
      continue;
    sum += *input.item_scores[i];
    ++n;
  }
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

std::string competency_reason(const Model& model, const PlanInput& input, std::size_t c) {
  const auto& standing = input.competencies[c];
  const std::string& name = model.competencies[c].name;
  const std::string now = name + " is at " + stage_label(model, standing.stage) + ", scoring " +
                          whole(*standing.score) + " of 100.";
  if (standing.stage == model.stage_count())
    return now + " It is at the top stage; this action keeps it there.";
  const int next = standing.stage + 1;
  const auto score = stage_score(model, input, c, next);
  return now + " To reach " + stage_label(model, next) + ", its stage-" + std::to_string(next) +
         " statements need an average of at least " + whole(model.threshold) +
         (score ? "; they average " + whole(*score) + " now." : "; none of them was answered.");
}

// Weakest first: lowest stage, then lowest score; unscored ones are left out.
std::vector<std::size_t> weakest_competencies(const PlanInput& input) {
  std::vector<std::size_t> order;
  for (std::size_t c = 0; c < input.competencies.size(); ++c) {
    if (input.competencies[c].score) order.push_back(c);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = input.competencies[a];
    const auto& y = input.competencies[b];
    if (x.stage != y.stage) return x.stage < y.stage;
    return *x.score < *y.score;
  });
  if (order.size() > kPlannedCompetencies) order.resize(kPlannedCompetencies);
  return order;
}

// Library actions that move competency `c` from `stage`, those aimed at its
// weakest statements first.
std::vector<const Action*> library_actions(const Model& model, const PlanInput& input,
                                           std::size_t c, int stage) {
  std::vector<const Action*> out;
  for (const auto& a : model.actions) {
    if (a.competency == c && a.stage == stage) out.push_back(&a.action);
  }
  auto weakest_item = [&](const Action* a) {
    double low = 101;
    for (std::size_t i : item_indices(model, *a))
      low = std::min(low, input.item_scores[i].value_or(-1.0));
    return low;
  };
  std::stable_sort(out.begin(), out.end(), [&](const Action* a, const Action* b) {
    return weakest_item(a) < weakest_item(b);
  });
  return out;
}

bool planned(const Plan& plan, const std::string& title) {
  return std::any_of(plan.actions.begin(), plan.actions.end(),
                     [&](const PlanAction& a) { return a.title == title; });
}

void add_competency_actions(const Model& model, const PlanInput& input, Plan& plan) {
  for (std::size_t c : weakest_competencies(input)) {
    const int stage = input.competencies[c].stage;
    const bool top = stage == model.stage_count();
    for (const Action* action : library_actions(model, input, c, stage)) {
      if (planned(plan, action->title)) continue;
      PlanAction a =
          from_library(model, *action, top ? PlanActionKind::sustain : PlanActionKind::gap);
      a.competency = c;
      a.target_stage = top ? stage : stage + 1;
      a.reason = competency_reason(model, input, c) + moves_sentence(model, input, a.items);
      plan.actions.push_back(std::move(a));
    }
  }
}

// The organization's next-stage gaps (statements of stage s+1 below the
// threshold) in competencies that stand at the organization's stage but
// are not among the weakest: one action each, weakest statement first.
void add_next_stage_gap_actions(const Model& model, const PlanInput& input, Plan& plan) {
  if (input.stage == model.stage_count()) return;
  const int next = input.stage + 1;
  std::vector<std::size_t> gaps;
  for (std::size_t i = 0; i < model.items.size(); ++i) {
    const auto& score = input.item_scores[i];
    if (model.items[i].stage == next && score && *score < model.threshold) gaps.push_back(i);
  }
  std::stable_sort(gaps.begin(), gaps.end(), [&](std::size_t a, std::size_t b) {
    return *input.item_scores[a] < *input.item_scores[b];
  });
  std::set<std::size_t> covered;
  for (const auto& a : plan.actions) covered.insert(a.items.begin(), a.items.end());
  for (std::size_t i : gaps) {
    const std::size_t c = model.items[i].competency;
    if (covered.count(i) || input.competencies[c].stage != input.stage) continue;
    for (const auto& entry : model.actions) {
      const auto items = item_indices(model, entry.action);
      if (entry.competency != c || entry.stage != input.stage ||
          planned(plan, entry.action.title) ||
          std::find(items.begin(), items.end(), i) == items.end()) {
        continue;
      }
      PlanAction a = from_library(model, entry.action, PlanActionKind::gap);
      a.competency = c;
      a.target_stage = next;
      a.reason = statement_name(model.items[i]) + " scores " + whole(*input.item_scores[i]) +
                 " of 100, below " + whole(model.threshold) +
                 ": it is one of the organization's gaps to " + stage_label(model, next) + ". " +
                 competency_reason(model, input, c) + moves_sentence(model, input, a.items);
      covered.insert(items.begin(), items.end());
      plan.actions.push_back(std::move(a));
      break;
    }
  }
}

}  // namespace

Plan draft_plan(const Model& model, const PlanInput& input) {
  Plan plan;
  add_obstacle_actions(model, input, plan);
  add_competency_actions(model, input, plan);
  add_next_stage_gap_actions(model, input, plan);
  return plan;
}

}  // namespace cxm::core
