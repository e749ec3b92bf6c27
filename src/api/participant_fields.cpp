#include "api/participant_fields.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "core/comments.h"
#include "secrets/secrets.h"

namespace cxm::api {

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
    out.push_back({id, text, text.empty() ? std::string() : secrets::random_hex(16)});
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

}  // namespace cxm::api
