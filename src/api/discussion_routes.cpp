// GET /api/cycles/{cycle}/discussion: the group discussion of a cycle's
// results (SPEC section 4.2): every statement with its distribution and
// agreement, the agenda (core/discussion.h), rwg(j) and alpha per
// competency, the segments and perception gaps between roles and between
// units, and the facilitator's notes and the group's decisions.
// PUT /api/cycles/{cycle}/discussion/notes/{item}: a note and decision.
// The discussion also says what moved after talking: per statement a live
// workshop asked twice, the room's answers before and after (issue 23).
//
// The figures obey the same rule as the report (published_result.h): an
// anonymous cycle shows only released results, segments below the minimum
// group (or that would let one be worked out) stay hidden.
#include <algorithm>
#include <map>

#include "api/access.h"
#include "api/context.h"
#include "api/live_state.h"
#include "api/request_fields.h"
#include "core/discussion.h"
#include "core/scope.h"
#include "report/score_document.h"
#include "results/cycle_report.h"
#include "results/published_result.h"

namespace cxm::api {
namespace {

constexpr std::size_t kMaxNoteLength = 4000;

json note_json(const store::DiscussionNote& n) {
  return {{"note", n.note},
          {"decision", n.decision ? json(*n.decision) : json(nullptr)},
          {"updated_at", n.updated_at}};
}

// Every statement in model order: its figures (as in the report) when any
// are shown, and its note.
json statements_json(const core::Model& model, const json* items,
                     const std::vector<store::DiscussionNote>& notes) {
  std::map<std::string, const store::DiscussionNote*> by_item;
  for (const auto& n : notes) by_item[n.item_id] = &n;
  json out = json::array();
  for (std::size_t i = 0; i < model.items.size(); ++i) {
    const core::Item& item = model.items[i];
    json s = {{"id", item.id},
              {"competency", model.competencies[item.competency].id},
              {"stage", item.stage},
              {"text", item.text},
              {"figures", items ? (*items)[i] : json(nullptr)}};
    const auto note = by_item.find(item.id);
    s["discussion"] = note == by_item.end() ? json(nullptr) : note_json(*note->second);
    out.push_back(std::move(s));
  }
  return out;
}

json agenda_json(const core::Model& model, const core::GroupResult& group) {
  json out = json::array();
  for (const auto& e : core::discussion_agenda(model, group)) {
    out.push_back({{"id", model.items[e.item].id},
                   {"class", core::to_string(e.agreement)},
                   {"importance", core::to_string(e.importance)},
                   {"rwg", e.rwg}});
  }
  return out;
}

json build_discussion(Context& ctx, const store::Cycle& cycle) {
  // The statements in the organization's scope, as the report scores them.
  const auto model = std::make_shared<const core::Model>(
      core::in_scope(*ctx.cycles.model(cycle, ctx.store),
                     results::out_of_scope_ids(ctx.store.org_aims(cycle.org_id))));
  const results::PublishedResult published =
      results::published_result(cycle, *model, ctx.store.cycle_answers(cycle.id), "", "");
  const auto notes = ctx.store.discussion_notes(cycle.id);
  json doc = {
      {"cycle_id", cycle.id},
      {"min_group_size", cycle.min_group_size},
      {"scale",
       {{"min", model->scale.min}, {"max", model->scale.max}, {"labels", model->scale.labels}}},
      {"model_competencies", json::array()}};
  for (const auto& c : model->competencies)
    doc["model_competencies"].push_back({{"id", c.id}, {"name", c.name}});
  if (!published.result) {
    doc["available"] = false;
    doc["reason"] = published.withheld.value("reason", "");
    doc["respondents"] = published.withheld.value("respondents", json(nullptr));
    doc["statements"] = statements_json(*model, nullptr, notes);
    doc["agenda"] = json::array();
    doc["competencies"] = json::array();
    doc["segments"] = {{"role", json::array()}, {"unit", json::array()}};
    doc["gaps"] = json::array();
    doc["stage"] = nullptr;
    doc["next_stage"] = nullptr;
  } else {
    json scored = json::parse(report::score_document_json(*model, *published.result, -1));
    if (cycle.anonymous)
      results::hide_small_counts(scored, static_cast<std::size_t>(cycle.min_group_size));
    doc["available"] = true;
    doc["reason"] = nullptr;
    doc["respondents"] = scored["respondents"];
    doc["statements"] = statements_json(*model, &scored["items"], notes);
    doc["agenda"] = agenda_json(*model, published.result->group);
    doc["competencies"] = scored["competencies"];
    doc["segments"] = scored["segments"];
    doc["gaps"] = scored["gaps"];
    doc["stage"] = scored["stage"].is_null() ? json(nullptr)
                                             : json{{"number", scored["stage"]["number"]},
                                                    {"name", scored["stage"]["name"]}};
    doc["next_stage"] = scored["next_stage"];
  }
  if (!published.anonymity.is_null()) doc["anonymity"] = published.anonymity;
  doc["workshop_rounds"] = workshop_rounds_json(ctx, cycle);
  return doc;
}

http::Response get_discussion(Context& ctx, const http::Request& request,
                              const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::viewer));
  return json_response(200, build_discussion(ctx, *cycle));
}

http::Response put_note(Context& ctx, const http::Request& request,
                        const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  const auto model = ctx.cycles.model(*cycle, ctx.store);
  const std::string& item_id = params.at("item");
  if (!model->find_item(item_id))
    return refuse(404, "not_found", "this cycle asks no statement " + item_id);
  CXM_TRY(body, json_body(request));
  CXM_TRY(text, text_field(body, "note", false, kMaxNoteLength, Text::document));
  store::DiscussionNote note{cycle->id,    item_id,   text.value_or(""),
                             std::nullopt, ctx.now(), caller->user.id};
  CXM_TRY(d, integer_field(body, "decision", model->scale.min, model->scale.max));
  if (d) {
    note.decision = static_cast<int>(*d);
  }
  if (!ctx.store.save_discussion_note(
          note,
          audit_entry(ctx, *caller, cycle->org_id, "discussion.note", cycle->id + " " + item_id))) {
    return refuse(404, "not_found", "no such cycle");
  }
  json out = note_json(note);
  out["id"] = item_id;
  return json_response(200, out);
}

}  // namespace

void add_discussion_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/cycles/{cycle}/discussion", bind(ctx, get_discussion));
  router.on_worker("PUT", "/api/cycles/{cycle}/discussion/notes/{item}", bind(ctx, put_note));
}

}  // namespace cxm::api
