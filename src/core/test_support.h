// Test-only helpers to build small models and response sets by hand.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/responses.h"

namespace cxm::core::testing {

// A model with stages 1..`stages`, 1-5 scale, threshold 60, roles
// executive/manager/frontline/other, and the given items as
// {id, competency id, stage}. Competencies are created in order of first use.
struct ItemSpec {
  std::string id;
  std::string competency;
  int stage;
};

inline Model make_model(int stages, std::initializer_list<ItemSpec> items) {
  Model m;
  m.id = "test";
  m.version = "1";
  m.title = "Test model";
  m.scale = Scale{1, 5, {"1", "2", "3", "4", "5"}, "Don't know"};
  m.threshold = 60.0;
  for (int s = 1; s <= stages; ++s) {
    m.stages.push_back(Stage{s, "s" + std::to_string(s), "Stage " + std::to_string(s), "", "", {}});
  }
  for (const char* role : {"executive", "manager", "frontline", "other"})
    m.roles.push_back({role, role});
  for (const auto& spec : items) {
    auto c = m.find_competency(spec.competency);
    if (!c) {
      m.competencies.push_back(Competency{spec.competency, spec.competency, "", ""});
      c = m.competencies.size() - 1;
    }
    m.items.push_back(Item{spec.id, *c, spec.stage, spec.id, false, 0, {}, false});
  }
  return m;
}

// Adds one respondent whose answers are given in item order; nullopt is missing.
inline void add_respondent(Responses& responses, std::initializer_list<std::optional<int>> answers,
                           std::string role = "", std::string unit = "") {
  const std::size_t row =
      responses.add(Respondent{"r" + std::to_string(responses.size() + 1), role, unit});
  std::size_t i = 0;
  for (const auto& a : answers) {
    responses.set(row, i++, a ? static_cast<std::int8_t>(*a) : kMissing);
  }
}

}  // namespace cxm::core::testing
