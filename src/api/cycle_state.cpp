// What a cycle's live screens are sent (api/live_state.h): its status and
// response counts.
#include <map>

#include "api/live_state.h"
#include "core/response_rate.h"
#include "core/segments.h"

namespace cxm::api {

json response_counts_json(Context& ctx, const store::Cycle& cycle) {
  struct Count {
    int invited = 0, started = 0, submitted = 0;
    int imported = 0;  // of submitted: rows the facilitator imported
  };
  Count total;
  std::map<std::string, Count> by_role, by_unit;
  for (const auto& p : ctx.store.cycle_answers(cycle.id)) {
    for (Count* c : {&total, &by_role[p.participant.role], &by_unit[p.participant.unit]}) {
      ++c->invited;
      if (!p.answers.empty()) ++c->started;
      if (p.participant.submitted_at) ++c->submitted;
      if (p.participant.submitted_at && !p.participant.import_id.empty()) ++c->imported;
    }
  }
  auto to_json = [](const Count& c) {
    return json{{"invited", c.invited}, {"started", c.started}, {"submitted", c.submitted}};
  };
  // In an anonymous cycle a role's or unit's counts below the minimum group
  // show as "fewer than k" (the total moves one by one; results do not).
  // Imported rows do not make a group large enough to count
  // (core::counted_towards_group): else a unit of two imported rows would
  // turn from "fewer than 3" to 3 the moment its one real person submits.
  const auto k = static_cast<std::size_t>(cycle.min_group_size);
  auto segment_json = [&](const Count& c) {
    json j = to_json(c);
    if (!cycle.anonymous) return j;
    bool small = false;
    for (const char* field : {"started", "submitted"}) {
      const auto n = j[field].get<std::size_t>();
      if (n > 0 && core::counted_towards_group(n, static_cast<std::size_t>(c.imported)) < k)
        j[field] = nullptr, small = true;
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
  // What keeps the results from being published or representative, while
  // answers can still come in.
  json warnings = json::array();
  if (cycle.status == store::CycleStatus::open) {
    const auto model = ctx.cycles.model(cycle, ctx.store);
    std::vector<core::GroupResponses> groups;
    auto group = [](std::string name, const Count& c) {
      return core::GroupResponses{std::move(name), static_cast<std::size_t>(c.invited),
                                  static_cast<std::size_t>(c.submitted - c.imported)};
    };
    for (const auto& [role, c] : by_role) {
      const auto found = role.empty() ? std::nullopt : model->find_role(role);
      groups.push_back(group(found          ? model->roles[*found].name
                             : role.empty() ? "People with no role"
                                            : role,
                             c));
    }
    for (const auto& [unit, c] : by_unit)
      groups.push_back(group(unit.empty() ? "People with no unit" : unit, c));
    for (const auto& w : core::response_warnings(
             static_cast<std::size_t>(total.invited), static_cast<std::size_t>(total.submitted),
             static_cast<std::size_t>(total.submitted - total.imported), groups, cycle.anonymous,
             k))
      warnings.push_back({{"code", w.code}, {"message", w.message}});
  }
  return {
      {"total", to_json(total)}, {"by_role", roles}, {"by_unit", units}, {"warnings", warnings}};
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
