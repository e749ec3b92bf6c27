#include "api/participant_link.h"

#include "core/comments.h"
#include "http/client_address.h"

namespace cxm::api {

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

Outcome<std::vector<store::StoredAnswer>> answers_field(const json& body, const core::Model& m) {
  const auto it = body.find("answers");
  if (it == body.end() || !it->is_object())
    return refuse(422, "invalid", "answers: an object of item id -> value or null");
  if (it->size() > m.items.size())
    return refuse(422, "invalid", "answers: more answers than items");
  std::vector<store::StoredAnswer> answers;
  for (const auto& [item_id, value] : it->items()) {
    if (!m.find_item(item_id))
      return refuse(422, "invalid", "answers." + item_id + ": unknown item");
    if (value.is_null()) {
      if (m.scale.dont_know_label.empty())
        return refuse(422, "invalid", "answers." + item_id + ": this scale has no don't know");
      answers.push_back({item_id, std::nullopt});
      continue;
    }
    if (!value.is_number_integer())
      return refuse(422, "invalid", "answers." + item_id + ": must be a whole number or null");
    const long v =
        value.is_number_unsigned() && value.get<std::uint64_t>() > 1000 ? 1001 : value.get<long>();
    if (v < m.scale.min || v > m.scale.max) {
      return refuse(422, "invalid",
                    "answers." + item_id + ": must be between " + std::to_string(m.scale.min) +
                        " and " + std::to_string(m.scale.max));
    }
    answers.push_back({item_id, static_cast<int>(v)});
  }
  return answers;
}

Outcome<std::vector<store::StoredComment>> comments_field(const json& body, const core::Model& m) {
  std::vector<store::StoredComment> out;
  const auto it = body.find("comments");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_object())
    return refuse(422, "invalid", "comments: an object of competency id -> text");
  if (it->size() > m.competencies.size())
    return refuse(422, "invalid", "comments: more comments than competencies");
  for (const auto& [id, value] : it->items()) {
    const auto c = m.find_competency(id);
    if (!c) return refuse(422, "invalid", "comments." + id + ": unknown competency");
    if (m.competencies[*c].comment.empty())
      return refuse(422, "invalid", "comments." + id + ": this competency asks no comment");
    if (!value.is_string() && !value.is_null())
      return refuse(422, "invalid", "comments." + id + ": must be text (empty deletes it)");
    const std::string text =
        value.is_null() ? std::string() : core::normalized_comment(value.get<std::string>());
    if (const auto problem = core::comment_problem(text))
      return refuse(422, "invalid", "comments." + id + ": the comment " + *problem);
    out.push_back({id, text, text.empty() ? std::string() : random_hex(16)});
  }
  return out;
}

}  // namespace cxm::api
