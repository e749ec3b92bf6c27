// The renderers' words: both languages have every key, with the same
// placeholders; numbers and dates in each language's form.
#include "report/report_text.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "core/outside_in.h"

namespace cxm::report {
namespace {

std::set<std::string> placeholders(const std::string& text) {
  std::set<std::string> out;
  static const std::regex kPlaceholder(R"(\{[a-z_]+\})");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kPlaceholder);
       it != std::sregex_iterator(); ++it) {
    out.insert(it->str());
  }
  return out;
}

TEST(ReportText, BothLanguagesHaveEveryKeyWithTheSamePlaceholders) {
  const auto& en = text_table(Lang::en);
  const auto& de = text_table(Lang::de);
  ASSERT_GT(en.size(), 50u);
  for (const auto& [key, english] : en) {
    const auto it = de.find(key);
    ASSERT_NE(it, de.end()) << "no German for " << key;
    EXPECT_FALSE(english.empty()) << key;
    EXPECT_FALSE(it->second.empty()) << key;
    EXPECT_EQ(placeholders(english), placeholders(it->second)) << key;
  }
  for (const auto& [key, german] : de) EXPECT_TRUE(en.contains(key)) << "no English for " << key;
}

TEST(ReportText, GermanSpeaksFormallyAndKeepsCustomerExperience) {
  for (const auto& [key, german] : text_table(Lang::de)) {
    // Formal address: never "du", "dein", "ihr" as the reader's word.
    static const std::regex kInformal(R"(\b([Dd]u|[Dd]ein\w*|[Dd]ich|[Dd]ir)\b)");
    EXPECT_FALSE(std::regex_search(german, kInformal)) << key << ": " << german;
    EXPECT_EQ(german.find("Kundenerlebnis"), std::string::npos) << key;
  }
}

TEST(ReportText, ReplacesPlaceholdersAndFallsBackToTheKey) {
  EXPECT_EQ(text(Lang::de, "languages.release", {{"k", "4"}}),
            "Nicht ausgewiesen: Zusammen mit der früheren Freigabe ließe sich aus den Zahlen eine "
            "Gruppe von weniger als 4 Befragten errechnen");
  EXPECT_EQ(text(Lang::en, "no.such.key"), "no.such.key");
  EXPECT_EQ(language_name(Lang::de, "de"), "Deutsch");
  EXPECT_EQ(language_name(Lang::en, "de"), "German");
  EXPECT_EQ(language_name(Lang::en, "xx"), "xx");
}

TEST(ReportText, NumbersAndDatesInTheLanguagesForm) {
  EXPECT_EQ(report_lang("de-AT"), Lang::de);
  EXPECT_EQ(report_lang("fr"), Lang::en);
  EXPECT_EQ(decimal_text(62.45, 1), "62.5");
  {
    const TextScope german(Lang::de);
    EXPECT_EQ(decimal_text(62.45, 1), "62,5");
    EXPECT_EQ(localized_number("-3.25"), "-3,25");
    EXPECT_EQ(tr("language.en"), "Englisch");
  }
  EXPECT_EQ(current_lang(), Lang::en);
  // 2026-03-01T12:00:00Z
  EXPECT_EQ(day_text(Lang::en, 1772366400000), "1 March 2026");
  EXPECT_EQ(day_text(Lang::de, 1772366400000), "1. März 2026");
}

}  // namespace
// The caveat the report gives in English is the core's, word for word.
TEST(ReportText, TheDeliveryGapCaveatIsTheCoresInEnglish) {
  EXPECT_EQ(text(Lang::en, "outside_in.caveat"), std::string(core::delivery_gap_caveat()));
  EXPECT_NE(text(Lang::de, "outside_in.caveat").find("Ein Vergleich, keine Ursache."),
            std::string::npos);
}

}  // namespace cxm::report
