// The report renderers' own words (headings, labels, explanations, reasons)
// in each language a report can be read in: English and German. Model texts
// come from the cycle's translation (model/translation_parser.h); these are
// the words around them. A renderer names its language once (TextScope);
// the helpers it calls then say their words in it. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxm::report {

// The languages the renderers speak; any other tag reads as English.
enum class Lang { en, de };

// "de", "de-AT", "de-CH" read as German; anything else as English.
Lang report_lang(std::string_view tag);
std::string_view lang_tag(Lang lang);

// The language the renderers on this thread speak (English unless a
// TextScope says otherwise).
Lang current_lang();

// Makes the renderers on this thread speak `lang` until it goes out of
// scope (then the language before).
class TextScope {
 public:
  explicit TextScope(Lang lang);
  explicit TextScope(std::string_view tag) : TextScope(report_lang(tag)) {}
  ~TextScope();
  TextScope(const TextScope&) = delete;
  TextScope& operator=(const TextScope&) = delete;

 private:
  Lang before_;
};

using TextValues = std::vector<std::pair<std::string_view, std::string>>;

// The text of `key` in `lang` with each {name} replaced by its value.
// A key missing from the table is a programming error: the key itself is
// returned so that a test finds it.
std::string text(Lang lang, std::string_view key, const TextValues& values = {});
// The same in the current language.
std::string tr(std::string_view key, const TextValues& values = {});

// The whole table of one language (for the test that both have every key
// with the same placeholders).
const std::map<std::string, std::string, std::less<>>& text_table(Lang lang);

// `value` with `digits` decimals as the current language writes it in
// text: "62.5" in English, "62,5" in German. (Not for JSON, CSV or
// workbook numbers.)
std::string decimal_text(double value, int digits);
// Replaces the decimal point of a number already formatted ("62.5") as
// the current language writes it.
std::string localized_number(std::string number);

// "29 November 2026" / "29. November 2026" for Unix milliseconds (UTC).
std::string day_text(Lang lang, std::int64_t unix_ms);

// A language's name in `lang`: "German" / "Deutsch"; the tag itself when
// unknown.
std::string language_name(Lang lang, std::string_view tag);

}  // namespace cxm::report
