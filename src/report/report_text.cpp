#include "report/report_text.h"

#include <ctime>

#include "report/number_text.h"

namespace cxm::report {
namespace {

struct Entry {
  std::string_view key, en, de;
};

// Every word of the renderers, English and German side by side. German:
// formal "Sie"; "Customer Experience" stays English, as German
// practitioners say it.
constexpr Entry kEntries[] = {
#include "report/report_text_entries.inc"
};

thread_local Lang current = Lang::en;

}  // namespace

Lang report_lang(std::string_view tag) {
  if (tag == "de" || tag.starts_with("de-")) return Lang::de;
  return Lang::en;
}

std::string_view lang_tag(Lang lang) { return lang == Lang::de ? "de" : "en"; }

Lang current_lang() { return current; }

TextScope::TextScope(Lang lang) : before_(current) { current = lang; }
TextScope::~TextScope() { current = before_; }

const std::map<std::string, std::string, std::less<>>& text_table(Lang lang) {
  static const auto tables = [] {
    std::pair<std::map<std::string, std::string, std::less<>>,
              std::map<std::string, std::string, std::less<>>>
        t;
    for (const auto& e : kEntries) {
      t.first.emplace(e.key, e.en);
      if (!e.de.empty()) t.second.emplace(e.key, e.de);
    }
    return t;
  }();
  return lang == Lang::de ? tables.second : tables.first;
}

std::string text(Lang lang, std::string_view key, const TextValues& values) {
  const auto& table = text_table(lang);
  const auto it = table.find(key);
  std::string out = it == table.end() ? std::string(key) : it->second;
  for (const auto& [name, value] : values) {
    const std::string placeholder = "{" + std::string(name) + "}";
    for (std::size_t at = out.find(placeholder); at != std::string::npos;
         at = out.find(placeholder, at + value.size())) {
      out.replace(at, placeholder.size(), value);
    }
  }
  return out;
}

std::string tr(std::string_view key, const TextValues& values) {
  return text(current, key, values);
}

std::string localized_number(std::string number) {
  if (current != Lang::de) return number;
  for (char& c : number) {
    if (c == '.') c = ',';
  }
  return number;
}

std::string decimal_text(double value, int digits) {
  return localized_number(fixed_decimals(value, digits));
}

std::string day_text(Lang lang, std::int64_t unix_ms) {
  static const char* const kEnglish[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
  static const char* const kGerman[] = {"Januar",    "Februar", "März",     "April",
                                        "Mai",       "Juni",    "Juli",     "August",
                                        "September", "Oktober", "November", "Dezember"};
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm t{};
  gmtime_r(&seconds, &t);
  const std::string year = std::to_string(1900 + t.tm_year);
  if (lang == Lang::de) return std::to_string(t.tm_mday) + ". " + kGerman[t.tm_mon] + " " + year;
  return std::to_string(t.tm_mday) + " " + kEnglish[t.tm_mon] + " " + year;
}

std::string language_name(Lang lang, std::string_view tag) {
  const std::string key = "language." + std::string(tag);
  const auto& table = text_table(lang);
  const auto it = table.find(key);
  return it == table.end() ? std::string(tag) : it->second;
}

}  // namespace cxm::report
