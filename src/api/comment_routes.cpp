// GET /api/cycles/{cycle}/comments: the comments that may be shown
// (results/cycle_comments.h; docs/anonymity.md "Comments"), per competency
// that asks a comment question, in a keyed order, with no role, unit,
// time or person; a competency whose comments are withheld says why.
// Hidden comments are listed by their reason, never their text.
// POST /api/cycles/{cycle}/comments/{comment}/hide {reason}: a facilitator
// hides a comment (kept, audited), never edits one.
#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"
#include "results/cycle_comments.h"

namespace cxm::api {
namespace {

constexpr std::size_t kMaxReasonLength = 500;

json comments_body(const store::Cycle& cycle, const core::Model& model,
                   const results::CycleComments& comments) {
  json competencies = json::array();
  for (const auto& g : comments.groups) {
    const auto c = model.find_competency(g.competency);
    json shown = json::array();
    for (const auto* e : g.shown) shown.push_back({{"id", e->id}, {"text", e->text}});
    json hidden = json::array();
    for (const auto* e : g.hidden) hidden.push_back({{"id", e->id}, {"reason", e->hidden_reason}});
    competencies.push_back({{"id", g.competency},
                            {"name", c ? model.competencies[*c].name : g.competency},
                            {"question", c ? model.competencies[*c].comment : ""},
                            {"comments", shown},
                            {"hidden", hidden},
                            {"withheld", g.withheld.empty() ? json(nullptr) : json(g.withheld)}});
  }
  return {{"cycle", cycle.id},
          {"anonymous", cycle.anonymous},
          {"min_group_size", comments.min_group},
          {"withheld", comments.withheld.empty() ? json(nullptr) : json(comments.withheld)},
          {"competencies", competencies}};
}

http::Response get_comments(Context& ctx, const http::Request& request,
                            const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::viewer));
  const auto model = ctx.cycles.model(*cycle, ctx.store);
  const auto comments = results::cycle_comments(*cycle, *model, ctx.store.cycle_answers(cycle->id),
                                                ctx.store.cycle_comments(cycle->id));
  return json_response(200, comments_body(*cycle, *model, comments));
}

http::Response hide_comment(Context& ctx, const http::Request& request,
                            const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  CXM_TRY(body, json_body(request));
  CXM_TRY(reason, required_text(body, "reason", kMaxReasonLength));
  const std::string& id = params.at("comment");
  // Only a comment the facilitator can see may be hidden: the same rule
  // as the list (a withheld one's id is never shown anyway).
  const auto model = ctx.cycles.model(*cycle, ctx.store);
  const auto comments = results::cycle_comments(*cycle, *model, ctx.store.cycle_answers(cycle->id),
                                                ctx.store.cycle_comments(cycle->id));
  bool visible = false;
  for (const auto& g : comments.groups) {
    for (const auto* e : g.shown) visible = visible || e->id == id;
    for (const auto* e : g.hidden) visible = visible || e->id == id;
  }
  if (!visible) return refuse(404, "not_found", "no such comment");
  switch (ctx.store.hide_comment(
      cycle->id, id, reason, caller->user.id, ctx.now(),
      audit_entry(ctx, *caller, cycle->org_id, "comment.hide", cycle->id + " " + id))) {
    case store::HideOutcome::hidden:
      ctx.cycle_rows.erase(cycle->id);  // its answers_version moved
      return json_response(200, {{"id", id}, {"hidden", true}, {"reason", reason}});
    case store::HideOutcome::already_hidden:
      return refuse(409, "already_hidden", "this comment is hidden already");
    case store::HideOutcome::not_found:
      break;
  }
  return refuse(404, "not_found", "no such comment");
}

}  // namespace

void add_comment_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/cycles/{cycle}/comments", bind(ctx, get_comments));
  router.on_worker("POST", "/api/cycles/{cycle}/comments/{comment}/hide", bind(ctx, hide_comment));
}

}  // namespace cxm::api
