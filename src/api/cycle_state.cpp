// What a cycle's live screens are sent (api/live_state.h): its status and
// response counts.
#include <map>

#include "api/live_state.h"

namespace cxm::api {

json response_counts_json(Context& ctx, const store::Cycle& cycle) {
  struct Count {
    int invited = 0, started = 0, submitted = 0;
  };
  Count total;
  std::map<std::string, Count> by_role, by_unit;
  for (const auto& p : ctx.store.cycle_answers(cycle.id)) {
    for (Count* c : {&total, &by_role[p.participant.role], &by_unit[p.participant.unit]}) {
      ++c->invited;
      if (!p.answers.empty()) ++c->started;
      if (p.participant.submitted_at) ++c->submitted;
    }
  }
  auto to_json = [](const Count& c) {
    return json{{"invited", c.invited}, {"started", c.started}, {"submitted", c.submitted}};
  };
  // In an anonymous cycle a role's or unit's counts below the minimum group
  // show as "fewer than k" (the total moves one by one; results do not).
  const int k = cycle.min_group_size;
  auto segment_json = [&](const Count& c) {
    json j = to_json(c);
    if (!cycle.anonymous) return j;
    bool small = false;
    for (const char* field : {"started", "submitted"}) {
      if (j[field].get<int>() > 0 && j[field].get<int>() < k) j[field] = nullptr, small = true;
    }
    if (small) j["fewer_than"] = k;
    return j;
  };
  json roles = json::array(), units = json::array();
  for (const auto& [role, c] : by_role) {
    json j = segment_json(c);
    j["role"] = role.empty() ? json(nullptr) : json(role);
    roles.push_back(j);
  }
  for (const auto& [unit, c] : by_unit) {
    json j = segment_json(c);
    j["unit"] = unit.empty() ? json(nullptr) : json(unit);
    units.push_back(j);
  }
  return {{"total", to_json(total)}, {"by_role", roles}, {"by_unit", units}};
}

std::optional<std::string> live_cycle_state(Context& ctx, const std::string& cycle_id) {
  const auto cycle = ctx.store.find_cycle(cycle_id);
  if (!cycle) return std::nullopt;
  return json{{"cycle_id", cycle->id},
              {"status", to_text(cycle->status)},
              {"responses", response_counts_json(ctx, *cycle)}}
      .dump();
}

}  // namespace cxm::api
