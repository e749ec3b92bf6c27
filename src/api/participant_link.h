// Internal to src/api: what every kind of participant link shares (the
// questionnaire's /api/r/TOKEN and a workshop phone's): what a token
// reaches, the claim cookie and the answers a request carries.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/access.h"
#include "api/context.h"
#include "api/outcome.h"
#include "api/participant_fields.h"
#include "api/request_fields.h"

namespace cxm::api {

// The hash of a link token; nullopt when `token` cannot be one (tokens are
// 32 hex characters).
std::optional<std::string> link_token_hash(const std::string& token);

// 404 for a questionnaire link that cannot be valid, in the same words for
// every reason (a stranger learns nothing from trying tokens).
Refusal invalid_link();

// What a participant's token reaches: its link, the link's cycle and the
// cycle's questionnaire. Empty only as a check with Lookup::memory that
// could not answer (api/access.h).
struct Link {
  std::shared_ptr<const store::Participant> participant;
  std::shared_ptr<const store::Cycle> cycle;
  std::shared_ptr<const core::Model> model;
  std::string token_hash;

  explicit operator bool() const { return participant != nullptr; }
};

// The link of `token`: invalid_link() when the token cannot be one or
// reaches no link (or its cycle is gone). A revoked link still resolves,
// so that writes through it are refused by the write itself (409 revoked)
// whether or not this process knew.
Outcome<Link> resolve(Context& ctx, const std::string& token, Lookup lookup = Lookup::database);

// The claim cookie: the link's secret in the browser that claimed it, sent
// only with requests to that link's API (/api/r/TOKEN...). claim_of: the
// hash of the caller's secret ("" without one); claim_cookie: the
// Set-Cookie value for `secret`.
std::string claim_of(const http::Request& request);
std::string claim_cookie(const Context& ctx, const http::Request& request, const std::string& token,
                         const std::string& secret);

// The two kinds of participant link: an invited link's questionnaire
// (/api/r/TOKEN) and a workshop seat's phone (/api/r/TOKEN/workshop).
enum class LinkKind { questionnaire, seat };

// 404 in the same words for every reason a token reaches no link of its
// kind (a stranger learns nothing from trying tokens).
Refusal no_such_link(LinkKind kind);

// The one mapping of store::LinkRefusal (the one link check of every
// answer write, and a seat's workshop rules) to a response, in the words
// of the link's kind.
Refusal link_refused(store::LinkRefusal refusal, LinkKind kind);

// A participant's answer write (store::Store::save_answers_async) awaited
// by a deferred handler: co_await exchange.after(start), where `start`
// calls queue_answer_write with the resume it is given. What the write
// reports goes to `result` before the handler resumes.
struct AnswerWriteResult {
  std::optional<store::SaveOutcome> outcome;  // empty: the database failed
  std::string failure;
};
void queue_answer_write(store::Store& store, store::AnswerWrite write, AnswerWriteResult& result,
                        http::Exchange::Resume resume);

// What participants see as the assessment's name: the cycle's title, or,
// without one, the organization's name and "customer-experience
// assessment"; never the internal cycle name.
// In German ("de") the neutral name is German; the cycle's own title is
// shown as the facilitator wrote it.
inline std::string participant_title(const store::Cycle& cycle, const std::string& org_name,
                                     const std::string& lang = "en") {
  if (!cycle.title.empty()) return cycle.title;
  if (lang == "de") {
    return org_name.empty() ? "Customer-Experience-Einschätzung"
                            : "Customer-Experience-Einschätzung bei " + org_name;
  }
  return org_name.empty() ? "Customer-experience assessment"
                          : org_name + " customer-experience assessment";
}

// The language a participant's page is shown in (SPEC section 4.8):
// `?lang=` when given (the cycle's default when it offers no such
// language); else the link's stored choice `chosen` when the cycle still
// offers it; else the best match of the request's Accept-Language among
// the cycle's languages (q-values; "de-AT" matches "de"); else the
// cycle's default.
std::string participant_language(const store::Cycle& cycle, const http::Request& request,
                                 const std::string& chosen);

// The languages a cycle offers: [{lang, name}], the default first.
json offered_languages(const store::Cycle& cycle);

// The answer scale as every answering screen shows it: {min, max, labels,
// dont_know} (null when the model offers no "don't know").
json scale_json(const core::Model& m);

}  // namespace cxm::api
