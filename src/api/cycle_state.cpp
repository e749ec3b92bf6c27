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
  // (0 included) show as "fewer than k", and so do as many more as it takes
  // for the exact total minus the shown groups not to give a hidden one
  // (core::hidden_counts). The total moves one by one; results do not.
  // Imported rows do not make a group large enough to count
  // (core::counted_towards_group): else a unit of two imported rows would
  // turn from "fewer than 3" to 3 the moment its one real person submits.
  const auto k = static_cast<std::size_t>(cycle.min_group_size);
  auto dimension_json = [&](const std::map<std::string, Count>& groups, const char* key) {
    json rows = json::array();
    for (const auto& [name, c] : groups) {
      json j = to_json(c);
      j[key] = name.empty() ? json(nullptr) : json(name);
      rows.push_back(j);
    }
    if (!cycle.anonymous) return rows;
    for (const char* field : {"started", "submitted"}) {
      std::vector<std::size_t> shown, counted;
      for (const auto& [name, c] : groups) {
        const auto n = static_cast<std::size_t>(std::string_view(field) == "started" ? c.started
                                                                                     : c.submitted);
        shown.push_back(n);
        counted.push_back(core::counted_towards_group(n, static_cast<std::size_t>(c.imported)));
      }
      const auto hidden = core::hidden_counts(shown, counted, k);
      for (std::size_t i = 0; i < hidden.size(); ++i) {
        if (hidden[i] == core::CountShown::shown) continue;
        rows[i][field] = nullptr;
        // The true reason: below k, or hidden so that the total minus the
        // shown groups does not give a smaller one.
        if (hidden[i] == core::CountShown::small)
          rows[i]["fewer_than"] = k;
        else
          rows[i]["hidden_to_protect"].push_back(field);
      }
    }
    return rows;
  };
  const json roles = dimension_json(by_role, "role");
  const json units = dimension_json(by_unit, "unit");
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
    // The rate is of the people invited through links: imported rows (all
    // submitted) are the facilitator's, not answers to this invitation.
    const auto links = static_cast<std::size_t>(total.invited - total.imported);
    const auto answered = static_cast<std::size_t>(total.submitted - total.imported);
    for (const auto& w :
         core::response_warnings(links, answered, answered, groups, cycle.anonymous, k))
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
