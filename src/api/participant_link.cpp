#include "api/participant_link.h"

#include <algorithm>

#include "http/client_address.h"
#include "results/cycle_cache.h"

namespace cxm::api {

std::optional<std::string> link_token_hash(const std::string& token) {
  if (token.size() != 32) return std::nullopt;
  return token_hash(token);
}

Refusal invalid_link() {
  return refuse(404, "not_found", "this link is not valid; ask your facilitator for a new one");
}

Outcome<Link> resolve(Context& ctx, const std::string& token, Lookup lookup) {
  auto hash = link_token_hash(token);
  if (!hash) return invalid_link();
  const std::int64_t now = ctx.now();
  const auto participant = look_up(ctx.links, *hash, now, lookup,
                                   [&] { return ctx.store.find_participant_by_token(*hash); });
  if (participant.missed) return Link();
  if (!participant.row) return invalid_link();
  const auto cycle = cycle_row(ctx, participant.row->cycle_id, lookup);
  if (cycle.missed) return Link();
  if (!cycle.row) return invalid_link();
  auto model = lookup == Lookup::memory ? ctx.cycles.cached_model(*cycle.row)
                                        : ctx.cycles.model(*cycle.row, ctx.store);
  if (!model) return Link();
  return Link{participant.row, cycle.row, std::move(model), std::move(*hash)};
}

constexpr const char* kClaimCookie = "cxm_claim";
constexpr int kClaimDays = 180;

// The hash of the caller's claim secret ("" without one).
std::string claim_of(const http::Request& request) {
  const auto secret = request.cookie(kClaimCookie);
  if (!secret || secret->size() != 32) return {};
  return token_hash(*secret);
}

// Secure like the session cookie: when cxm is configured so, or when a
// trusted proxy says the browser came over HTTPS.
std::string claim_cookie(const Context& ctx, const http::Request& request, const std::string& token,
                         const std::string& secret) {
  const bool secure =
      ctx.options.secure_cookies || http::forwarded_https(request, ctx.options.trusted_proxies);
  return std::string(kClaimCookie) + "=" + secret + "; Path=/api/r/" + token +
         "; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(kClaimDays * 24 * 3600) +
         (secure ? "; Secure" : "");
}

Refusal no_such_link(LinkKind kind) {
  if (kind == LinkKind::seat)
    return refuse(404, "not_found", "this workshop link is not valid; join again with the code");
  return invalid_link();
}

Refusal link_refused(store::LinkRefusal refusal, LinkKind kind) {
  const bool seat = kind == LinkKind::seat;
  switch (refusal) {
    case store::LinkRefusal::already_submitted:
      return refuse(409, "already_submitted", "answers are read-only after submission");
    case store::LinkRefusal::revoked:
      // A closed seat is no seat (404, as before the one write path): the
      // phone joins again with the code.
      if (seat) return no_such_link(kind);
      return refuse(409, "revoked",
                    "this link has been revoked; ask your facilitator for a new one");
    case store::LinkRefusal::not_claimed:
      return refuse(403, "not_claimed",
                    seat ? "this seat was taken in another browser; join again with the code"
                         : "this link was started in another browser; continue there, or enter "
                           "its resume code");
    case store::LinkRefusal::cycle_not_open:
      return refuse(409, "cycle_not_open", "this assessment is not open");
    case store::LinkRefusal::no_answers:
      return refuse(422, "invalid", "answer at least one statement first");
    case store::LinkRefusal::workshop_link:
      return refuse(409, "workshop_link",
                    "this link belongs to a live workshop; answer on the workshop's page");
    case store::LinkRefusal::workshop_ended:
      return refuse(409, "workshop_ended", "this workshop has ended");
    case store::LinkRefusal::wrong_round:
    case store::LinkRefusal::not_current:
      return refuse(409, "not_current",
                    "the facilitator has moved on; answer the statement on the screen now");
    case store::LinkRefusal::revealed:
      return refuse(409, "revealed",
                    "the answers to this statement are shown, so they can no longer change");
    case store::LinkRefusal::not_in_first_round:
      return refuse(409, "not_in_first_round",
                    "the second round asks again only those who answered this statement the "
                    "first time; you joined after it was asked, so watch the results on the "
                    "screen");
    case store::LinkRefusal::unknown_link:
    case store::LinkRefusal::none:
      break;
  }
  return no_such_link(kind);
}

void queue_answer_write(store::Store& store, store::AnswerWrite write, AnswerWriteResult& result,
                        http::Exchange::Resume resume) {
  store.save_answers_async(std::move(write), [&result, resume](const store::SaveOutcome* saved,
                                                               const store::StoreError* error) {
    if (saved) result.outcome = *saved;
    if (error) result.failure = error->what();
    resume();
  });
}

std::string participant_language(const store::Cycle& cycle, const http::Request& request,
                                 const std::string& chosen) {
  if (const auto asked = request.query_value("lang"); asked && !asked->empty())
    return results::offered_language(cycle, *asked);
  const auto offers = [&](const std::string& lang) {
    return std::find(cycle.languages.begin(), cycle.languages.end(), lang) != cycle.languages.end();
  };
  if (!chosen.empty() && offers(chosen)) return chosen;
  if (const auto accept = request.header("accept-language")) {
    const std::string best = accepted_language(*accept, cycle.languages);
    if (!best.empty()) return best;
  }
  return results::offered_language(cycle, "");
}

json scale_json(const core::Model& m) {
  return {{"min", m.scale.min},
          {"max", m.scale.max},
          {"labels", m.scale.labels},
          {"dont_know",
           m.scale.dont_know_label.empty() ? json(nullptr) : json(m.scale.dont_know_label)}};
}

json offered_languages(const store::Cycle& cycle) {
  json out = json::array();
  for (const auto& lang : cycle.languages)
    out.push_back({{"lang", lang}, {"name", language_name(lang)}});
  return out;
}

}  // namespace cxm::api
