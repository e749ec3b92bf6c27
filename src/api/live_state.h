// Internal to src/api: what the live streams send (api/cycle_events.h),
// read from the database (not a cache); the App wires them to the streams.
// Each returns nullopt when its subject is gone. Block.
#pragma once

#include <optional>
#include <string>

#include "api/context.h"

namespace cxm::api {

// GET /api/cycles/{cycle}/events: the cycle's status and response counts
// (cycle_state.cpp).
std::optional<std::string> live_cycle_state(Context& ctx, const std::string& cycle_id);
// What a workshop's projector shows (GET /api/workshops/{workshop} and its
// events; workshop_routes.cpp), and what every joined phone may know (the
// room's events; join_routes.cpp): the current step and public state,
// never an answer.
std::optional<std::string> workshop_state(Context& ctx, const std::string& workshop_id);
std::optional<std::string> room_state(Context& ctx, const std::string& workshop_id);

// What moved after talking: every statement a live workshop of the cycle
// revealed in both rounds, before and after (workshop_rounds.cpp; the
// discussion's and the report's workshop_rounds). Blocks.
nlohmann::json workshop_rounds_json(Context& ctx, const store::Cycle& cycle);

// Invited, started and submitted links, in total, per role and per unit; in
// an anonymous cycle a segment's counts below the minimum group show as
// "fewer than k" (cycle_state.cpp). Blocks (reads the answers).
nlohmann::json response_counts_json(Context& ctx, const store::Cycle& cycle);

}  // namespace cxm::api
