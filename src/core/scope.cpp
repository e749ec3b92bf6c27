#include "core/scope.h"

#include <algorithm>

namespace cxm::core {

std::optional<std::string> scope_problem(const Model& model,
                                         const std::set<std::string>& out_of_scope) {
  for (const auto& id : out_of_scope) {
    if (!model.find_item(id)) return "'" + id + "' is not a statement of the model";
  }
  for (int stage = 2; stage <= model.stage_count(); ++stage) {
    const bool kept = std::any_of(model.items.begin(), model.items.end(), [&](const Item& i) {
      return i.stage == stage && !out_of_scope.contains(i.id);
    });
    const bool had = std::any_of(model.items.begin(), model.items.end(),
                                 [&](const Item& i) { return i.stage == stage; });
    if (had && !kept)
      return "stage " + std::to_string(stage) + " (" + model.stage(stage).name +
             ") would have no statement left";
  }
  for (std::size_t c = 0; c < model.competencies.size(); ++c) {
    const bool kept = std::any_of(model.items.begin(), model.items.end(), [&](const Item& i) {
      return i.competency == c && !out_of_scope.contains(i.id);
    });
    if (!kept) return model.competencies[c].name + " would have no statement left";
  }
  return std::nullopt;
}

namespace {

// False when the action was aimed only at statements taken out.
bool keep_action(Action& action, const std::set<std::string>& out_of_scope) {
  if (action.items.empty()) return true;
  std::erase_if(action.items, [&](const std::string& id) { return out_of_scope.contains(id); });
  return !action.items.empty();
}

}  // namespace

Model in_scope(const Model& model, const std::set<std::string>& out_of_scope) {
  Model scoped = model;
  if (out_of_scope.empty()) return scoped;
  std::erase_if(scoped.items, [&](const Item& i) { return out_of_scope.contains(i.id); });
  for (auto& stage : scoped.stages) {
    std::erase_if(stage.obstacle_actions, [&](Action& a) { return !keep_action(a, out_of_scope); });
  }
  std::erase_if(scoped.actions,
                [&](CompetencyAction& a) { return !keep_action(a.action, out_of_scope); });
  return scoped;
}

}  // namespace cxm::core
