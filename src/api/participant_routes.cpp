// /api/r/{token}: what a participant's personal link reaches. The token
// reaches its cycle's questionnaire. The answers behind it are reached only
// by the browser that claimed the link (POST .../claim: the first to start
// it; it keeps a secret in a cookie scoped to the link) or that resumed it
// with the link's resume code: the facilitator, who holds every link, cannot
// read or change them, and after submission nobody can. Answers are saved
// in batches (idempotent), read-only after submission, and refused with 409
// when the cycle is not open (docs/anonymity.md).
#include <algorithm>

#include "api/access.h"
#include "api/logo.h"
#include "api/participant_link.h"
#include "api/request_fields.h"
#include "core/forms.h"
#include "core/glossary.h"

namespace cxm::api {

namespace {

// A write refused by the rules checked inside it (participant_link.h).
Refusal refused(store::LinkRefusal refusal) {
  return link_refused(refusal, LinkKind::questionnaire);
}

// Resume codes: 8 characters without look-alikes (no 0/O, 1/I/L), shown as
// XXXX-XXXX; about 40 bits, and ten wrong tries lock the link. Every try is
// also counted per client address and for the instance before the code is
// checked (api/guess_limits.h).
constexpr std::string_view kResumeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

std::string new_resume_code() {
  const std::string hex = random_hex(8);
  std::string code;
  for (std::size_t i = 0; i < 8; ++i) {
    const auto byte = static_cast<unsigned>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    code += kResumeAlphabet[byte % kResumeAlphabet.size()];
    if (i == 3) code += '-';
  }
  return code;
}

// As typed: case, spaces and dashes do not matter.
std::string normalized_code(const std::string& typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string resume_hash(const std::string& participant_id, const std::string& code) {
  return token_hash(participant_id + ":" + normalized_code(code));
}

json answers_json(const std::vector<store::StoredAnswer>& answers) {
  json out = json::object();
  for (const auto& a : answers) out[a.item_id] = a.value ? json(*a.value) : json(nullptr);
  return out;
}

json progress_json(std::size_t answered, std::size_t total) {
  return {{"answered", answered}, {"total", total}};
}

json comments_json(const std::vector<store::StoredComment>& comments) {
  json out = json::object();
  for (const auto& c : comments) out[c.competency_id] = c.text;
  return out;
}

// A batch of answers (and comments) checked against the link's
// questionnaire and state.
struct AnswerBatch {
  Link link;
  std::string claim_hash;
  std::vector<store::StoredAnswer> answers;
  std::vector<store::StoredComment> comments;
};

// Validates the batch against the link's questionnaire before anything is
// saved. The link's state (submitted, revoked, cycle open) is checked by
// the write.
Outcome<AnswerBatch> check_answers(Link link, const http::Request& request) {
  CXM_TRY(body, json_body(request));
  // A batch of comments alone may leave out "answers".
  if (body.is_object() && !body.contains("answers") && body.contains("comments"))
    body["answers"] = json::object();
  CXM_TRY(answers, answers_field(body, *link.model));
  CXM_TRY(comments, comments_field(body, *link.model));
  return AnswerBatch{std::move(link), claim_of(request), std::move(answers), std::move(comments)};
}

http::Response saved_response(const AnswerBatch& batch, std::size_t answered) {
  return json_response(200,
                       {{"saved", batch.answers.size()},
                        {"progress", progress_json(answered, batch.link.model->items.size())}});
}

// What this browser may see of the link: its own answers only when it
// holds the claim, nothing personal after submission.
http::Response questionnaire(Context& ctx, const http::Request& request,
                             const http::PathParams& params) {
  CXM_TRY(cached, resolve(ctx, params.at("token")));
  if (cached.participant->revoked || cached.participant->link_closed) return invalid_link();
  // The claim read afresh: another browser may have resumed the link.
  const auto participant = ctx.store.find_participant(cached.participant->id);
  if (!participant || participant->revoked || participant->link_closed) return invalid_link();
  // In the participant's language (ids and structure are the model's).
  const std::string lang = participant_language(*cached.cycle, request, participant->lang);
  auto localized = ctx.cycles.model(*cached.cycle, ctx.store, lang);
  const core::Model& m = localized ? *localized : *cached.model;
  const auto org = ctx.store.find_organization(cached.cycle->org_id);
  const std::string title = participant_title(*cached.cycle, org ? org->name : "", lang);
  json competencies = json::array();
  for (const auto& c : m.competencies) {
    // The optional comment question at the end of the competency.
    competencies.push_back({{"id", c.id},
                            {"name", c.name},
                            {"description", c.description},
                            {"comment", c.comment.empty() ? json(nullptr) : json(c.comment)}});
  }
  json items = json::array();
  for (const auto& item : m.items) {
    items.push_back({{"id", item.id},
                     {"competency", m.competencies[item.competency].id},
                     {"text", item.text},
                     {"terms", core::glossary_terms_in(m.glossary, item.text)}});
  }
  json glossary = json::array();
  for (const auto& g : m.glossary)
    glossary.push_back({{"term", g.term}, {"definition", g.definition}});
  const bool submitted = participant->submitted_at.has_value();
  const std::string mine = claim_of(request);
  const char* claim = participant->claim_hash.empty()                               ? "none"
                      : !mine.empty() && same_secret(mine, participant->claim_hash) ? "mine"
                                                                                    : "other";
  // A link cxm mailed is the one its cycle's key makes for this person: the
  // welcome page then says what happens to the address.
  const auto link_key = ctx.store.cycle_link_key(cached.cycle->id);
  const bool invited_by_email =
      link_key &&
      same_secret(secrets::derive_link_token(*link_key, participant->id), params.at("token"));
  std::vector<store::StoredAnswer> answers;
  std::vector<store::StoredComment> comments;
  if (!submitted && std::string_view(claim) == "mine") {
    answers = ctx.store.answers_of(participant->id);
    comments = ctx.store.comments_of(participant->id);
  }
  return json_response(
      200, {{"cycle",
             // Participants see the title, never the internal name ("name"
             // is kept for older pages, and holds the title too).
             {{"name", title},
              {"title", title},
              {"status", to_text(cached.cycle->status)},
              {"anonymous", cached.cycle->anonymous},
              {"min_group_size", cached.cycle->min_group_size},
              {"pulse", m.form == core::Form::pulse}}},
            {"organization",
             {{"name", org ? org->name : ""},
              {"logo", org && !org->logo_type.empty()
                           ? json(logo_url("/api/r/" + params.at("token"), org->logo_updated_at))
                           : json(nullptr)}}},
            {"model", {{"title", m.title}, {"version", m.version}}},
            {"introduction", m.introduction.empty() ? json(nullptr) : json(m.introduction)},
            {"glossary", glossary},
            {"estimated_minutes", core::estimated_minutes(m.items.size())},
            {"scale", scale_json(m)},
            {"competencies", competencies},
            {"items", items},
            {"claim", submitted ? "none" : claim},
            {"answers", answers_json(answers)},
            {"comments", comments_json(comments)},
            {"progress", progress_json(answers.size(), m.items.size())},
            {"submitted", submitted},
            {"invited_by_email", invited_by_email},
            {"lang", lang},
            {"languages", offered_languages(*cached.cycle)}});
}

// PUT /api/r/{token}/language {lang}: the participant's choice among the
// cycle's languages, kept with the link (a questionnaire or a workshop
// seat) for every later visit. Anyone holding the link may choose: it
// changes how the questions read, never an answer; after submission it is
// harmless.
http::Response choose_language(Context& ctx, const http::Request& request,
                               const http::PathParams& params) {
  CXM_TRY(link, resolve(ctx, params.at("token")));
  if (link.participant->revoked || link.participant->link_closed) return invalid_link();
  CXM_TRY(body, json_body(request));
  CXM_TRY(lang, required_text(body, "lang", 16));
  const auto& offered = link.cycle->languages;
  if (std::find(offered.begin(), offered.end(), lang) == offered.end()) {
    std::string list;
    for (const auto& l : offered) list += (list.empty() ? "" : ", ") + l;
    return refuse(422, "invalid", "lang: this assessment is offered in " + list);
  }
  // Once a browser has started the link, only that browser keeps a choice
  // with it, as only it saves answers: whoever else holds the link (the
  // facilitator holds every one) cannot change the person's language.
  const std::string mine = claim_of(request);
  if (!link.participant->claim_hash.empty() &&
      (mine.empty() || !same_secret(mine, link.participant->claim_hash)))
    return refused(store::LinkRefusal::not_claimed);
  if (!ctx.store.set_participant_lang(link.participant->id, lang)) return invalid_link();
  ctx.links.erase(link.token_hash);  // the cached link sees the new choice
  return json_response(200, {{"lang", lang}, {"languages", offered_languages(*link.cycle)}});
}

// GET /api/r/{token}/logo: the logo of the link's own organization (and no
// other), for the participant's welcome page.
http::Response participant_logo(Context& ctx, const http::Request&,
                                const http::PathParams& params) {
  CXM_TRY(link, resolve(ctx, params.at("token")));
  if (link.participant->revoked || link.participant->link_closed) return invalid_link();
  const auto logo = ctx.store.organization_logo(link.cycle->org_id);
  auto answer = logo ? logo_response(*logo) : std::nullopt;
  if (!answer) return refuse(404, "not_found", "no logo");
  return std::move(*answer);
}

// Counts a try of a resume code before it is checked: 429 with Retry-After
// while the client's address or the instance must wait.
Check admit_resume(Context& ctx, const std::string& address) {
  const std::int64_t wait = ctx.guesses.admit_resume(address, ctx.now());
  if (wait <= 0) return std::nullopt;
  return too_many("wrong resume codes", wait);
}

// POST /api/r/{token}/claim: this browser starts the link (and gets the
// resume code to show), or, with {"resume_code"}, takes it over from the
// browser that started it.
http::Response claim(Context& ctx, const http::Request& request, const http::PathParams& params) {
  const std::string& token = params.at("token");
  CXM_TRY(link, resolve(ctx, token));
  CXM_TRY(body, request.body.empty() ? Outcome<json>(json::object()) : json_body(request));
  CXM_TRY(typed, text_field(body, "resume_code", false, 64));
  const std::string address = client_block(ctx, request);
  if (typed) {
    CXM_CHECK(admit_resume(ctx, address));
  }
  const std::string secret = random_hex(16);
  const std::string id = link.participant->id;
  // A new code either way: resuming retires the code that was typed.
  const std::string code = new_resume_code();
  const store::ClaimOutcome outcome =
      typed ? ctx.store.resume_link(id, resume_hash(id, *typed), token_hash(secret),
                                    resume_hash(id, code))
            : ctx.store.claim_link(id, token_hash(secret), resume_hash(id, code));
  ctx.links.erase(link.token_hash);
  if (outcome == store::ClaimOutcome::resumed) ctx.guesses.resume_succeeded(address);
  switch (outcome) {
    case store::ClaimOutcome::claimed:
    case store::ClaimOutcome::resumed: {
      auto response = json_response(200, {{"resume_code", code}});
      response.headers.emplace_back("Set-Cookie", claim_cookie(ctx, request, token, secret));
      return response;
    }
    case store::ClaimOutcome::already_claimed:
      return refuse(
          409, "claimed",
          "this link was started in another browser; continue there, or enter its resume code");
    case store::ClaimOutcome::unclaimed:
      return refuse(409, "unclaimed", "this link has not been started yet; start it instead");
    case store::ClaimOutcome::wrong_code:
      return refuse(422, "wrong_code", "that resume code does not match this link");
    case store::ClaimOutcome::locked:
      return refuse(409, "locked",
                    "too many wrong resume codes; ask your facilitator for a new link");
    case store::ClaimOutcome::submitted:
      return refuse(409, "already_submitted", "the answers of this link have been submitted");
    case store::ClaimOutcome::revoked:
    case store::ClaimOutcome::unknown_link:
      break;
  }
  return invalid_link();
}

// PUT /api/r/{token}/answers: checked from memory on the I/O thread when the
// link is cached (else looked up on a worker), then queued to the writer;
// the response is made back on the I/O thread after the commit.
http::Handling save_answers(Context& ctx, http::Exchange& ex) {
  const std::string& token = ex.params.at("token");
  auto link = resolve(ctx, token, Lookup::memory);
  if (not_in_memory(link)) {
    co_await ex.to_worker();
    link = resolve(ctx, token);
  }
  if (!link) co_return link.refusal();
  CXM_CO_TRY(batch, check_answers(std::move(*link), ex.request));
  AnswerWriteResult saved;
  auto write = [&](http::Exchange::Resume resume) {
    queue_answer_write(ctx.store,
                       store::AnswerWrite{batch.link.participant->id, batch.claim_hash,
                                          batch.answers, std::move(batch.comments), ctx.now()},
                       saved, resume);
  };
  co_await ex.after(write);
  const auto& outcome = saved.outcome;
  if (!outcome) throw store::StoreError(saved.failure);
  if (outcome->refusal != store::LinkRefusal::none) {
    ctx.links.erase(batch.link.token_hash);  // our copy was out of date
    co_return refused(outcome->refusal);
  }
  co_return saved_response(batch, outcome->saved);
}

http::Response submit(Context& ctx, const http::Request& request, const http::PathParams& params) {
  CXM_TRY(link, resolve(ctx, params.at("token")));
  const auto refusal = ctx.store.submit(link.participant->id, claim_of(request), ctx.now());
  ctx.links.erase(link.token_hash);
  ctx.cycle_rows.erase(link.cycle->id);  // its answers_version moved
  // This process's screens need not wait for the change feed to hear it
  // (on SQLite up to 100 ms); other processes' screens do.
  if (refusal == store::LinkRefusal::none) ctx.events->changed(link.cycle->id);
  // A retried submit of an already submitted link is a success, not an error.
  if (refusal != store::LinkRefusal::none && refusal != store::LinkRefusal::already_submitted)
    return refused(refusal);
  return json_response(200, {{"submitted", true}});
}

}  // namespace

void add_participant_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/r/{token}", bind(ctx, questionnaire));
  router.on_worker("GET", "/api/r/{token}/logo", bind(ctx, participant_logo));
  router.on_worker("POST", "/api/r/{token}/claim", bind(ctx, claim));
  router.deferred("PUT", "/api/r/{token}/answers", bind(ctx, save_answers));
  router.on_worker("POST", "/api/r/{token}/submit", bind(ctx, submit));
  router.on_worker("PUT", "/api/r/{token}/language", bind(ctx, choose_language));
}

}  // namespace cxm::api
