// Internal to src/api: what every kind of participant link shares (the
// questionnaire's /api/r/TOKEN and a workshop phone's): the claim cookie
// and the answers a request carries.
#pragma once

#include <string>
#include <vector>

#include "api/context.h"
#include "api/outcome.h"
#include "api/request_fields.h"

namespace cxm::api {

// The claim cookie: the link's secret in the browser that claimed it, sent
// only with requests to that link's API (/api/r/TOKEN...). claim_of: the
// hash of the caller's secret ("" without one); claim_cookie: the
// Set-Cookie value for `secret`.
std::string claim_of(const http::Request& request);
std::string claim_cookie(const Context& ctx, const http::Request& request, const std::string& token,
                         const std::string& secret);

// The "answers" field of a participant's request (item id -> scale point,
// or null for don't know), checked against the questionnaire `model`:
// unknown items, values out of range and wrong types are 422 naming the
// item.
Outcome<std::vector<store::StoredAnswer>> answers_field(const json& body, const core::Model& model);

// The "comments" field of a participant's request (competency id -> text;
// an empty text deletes), absent or null for none: each text normalized
// and checked (core/comments.h), each new one with a random id. 422 naming
// the competency when it is unknown, asks no comment, or the text cannot
// be kept.
Outcome<std::vector<store::StoredComment>> comments_field(const json& body,
                                                          const core::Model& model);

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

}  // namespace cxm::api
