#include "api/participant_link.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "core/comments.h"
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

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string primary_subtag(std::string_view tag) { return lower(tag.substr(0, tag.find('-'))); }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The q-value of one Accept-Language range's parameters (";q=0.8"): 1
// without one, 0 for a malformed one (ignored, as RFC 9110 allows).
double quality(std::string_view parameters) {
  double q = 1.0;
  while (!parameters.empty()) {
    const auto semicolon = parameters.find(';');
    const auto parameter = trimmed(parameters.substr(0, semicolon));
    parameters =
        semicolon == std::string_view::npos ? std::string_view() : parameters.substr(semicolon + 1);
    if (parameter.size() < 2 || lower(parameter.substr(0, 2)) != "q=") continue;
    const std::string value(trimmed(parameter.substr(2)));
    char* end = nullptr;
    q = std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size() || q < 0 || q > 1) return 0;
  }
  return q;
}

}  // namespace

std::string accepted_language(std::string_view accept_language,
                              const std::vector<std::string>& offered) {
  struct Range {
    std::string tag;
    double q;
  };
  std::vector<Range> ranges;
  while (!accept_language.empty() && ranges.size() < 32) {
    const auto comma = accept_language.find(',');
    const auto part = accept_language.substr(0, comma);
    accept_language =
        comma == std::string_view::npos ? std::string_view() : accept_language.substr(comma + 1);
    const auto semicolon = part.find(';');
    const auto tag = trimmed(part.substr(0, semicolon));
    const double q =
        semicolon == std::string_view::npos ? 1.0 : quality(part.substr(semicolon + 1));
    if (!tag.empty() && q > 0) ranges.push_back({lower(tag), q});
  }
  // Equal q-values keep the order they were given in.
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const Range& a, const Range& b) { return a.q > b.q; });
  for (const auto& range : ranges) {
    if (range.tag == "*") return offered.empty() ? std::string() : offered.front();
    for (const auto& lang : offered) {
      if (lower(lang) == range.tag) return lang;
    }
    for (const auto& lang : offered) {
      if (primary_subtag(lang) == primary_subtag(range.tag)) return lang;
    }
  }
  return {};
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

std::string language_name(const std::string& lang) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"en", "English"},  {"de", "Deutsch"},    {"fr", "Français"},   {"es", "Español"},
      {"it", "Italiano"}, {"nl", "Nederlands"}, {"pt", "Português"},  {"pl", "Polski"},
      {"sv", "Svenska"},  {"da", "Dansk"},      {"fi", "Suomi"},      {"nb", "Norsk bokmål"},
      {"cs", "Čeština"},  {"tr", "Türkçe"},     {"hu", "Magyar"},     {"ro", "Română"},
      {"el", "Ελληνικά"}, {"ru", "Русский"},    {"uk", "Українська"}, {"ja", "日本語"},
      {"zh", "中文"},     {"ko", "한국어"}};
  const std::string primary = primary_subtag(lang);
  for (const auto& [tag, name] : kNames) {
    if (primary == tag)
      return primary == lower(lang)
                 ? std::string(name)
                 : std::string(name) + " (" + lang.substr(primary.size() + 1) + ")";
  }
  return lang;
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
