#include "model/translation_parser.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "model/model_parser.h"

namespace cxm::model {
namespace {

const std::string kModel = R"(id: mini
version: "1"
title: Mini model
scale:
  min: 1
  max: 3
  labels: [Disagree, Neither, Agree]
  dont_know: Don't know
threshold: 60
roles:
  - {id: executive, name: Executive}
glossary:
  - {term: journey owner, definition: Owns a journey.}
stages:
  - {number: 1, id: ignore, name: Ignore, description: d1, obstacle: o1}
  - number: 2
    id: explore
    name: Explore
    description: d2
    obstacle: o2
    obstacle_actions:
      - {title: Decide trade-offs, detail: Write rules}
competencies:
  - {id: lead, name: Leadership, comment: "What should leaders do?"}
items:
  - {id: L2, competency: lead, stage: 2, text: Every journey owner is named.}
actions:
  - {competency: lead, stage: 1, title: Start, detail: Begin., owner: The chief}
)";

const std::string kGerman = R"(language: de
model: mini
version: "1"
title: Mini-Modell
scale:
  labels: [Stimme nicht zu, Weder noch, Stimme zu]
  dont_know: Weiß nicht
roles:
  executive: Geschäftsleitung
glossary:
  journey owner: {term: Journey Owner, definition: Verantwortet eine Journey.}
stages:
  ignore: {name: Ignorieren, description: b1, obstacle: h1}
  explore:
    name: Erkunden
    description: b2
    obstacle: h2
    obstacle_actions:
      - {title: Zielkonflikte entscheiden, detail: Regeln schreiben}
competencies:
  lead: {name: Führung, comment: "Was sollten Führungskräfte tun?"}
items:
  L2: Jeder Journey Owner ist benannt.
actions:
  lead:
    1:
      - {title: Anfangen, detail: Beginnen., owner: Die Chefin}
)";

core::Model base() {
  auto parsed = parse_model(kModel, "mini.yaml");
  EXPECT_TRUE(parsed.model) << format(parsed.diagnostics.front());
  return parsed.model.value_or(core::Model{});
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string translation_problems(const std::string& text) {
  const auto result = parse_translation(text, "mini.de.yaml", base());
  std::string out;
  for (const auto& d : result.diagnostics) out += format(d) + "\n";
  return out;
}

TEST(TranslationParser, GivesTheModelWithEveryTextTranslated) {
  const auto result = parse_translation(kGerman, "mini.de.yaml", base());
  ASSERT_TRUE(result.model) << translation_problems(kGerman);
  const core::Model& de = *result.model;
  EXPECT_EQ(de.language, "de");
  EXPECT_EQ(de.title, "Mini-Modell");
  EXPECT_EQ(de.scale.labels[2], "Stimme zu");
  EXPECT_EQ(de.scale.dont_know_label, "Weiß nicht");
  EXPECT_EQ(de.roles[0].name, "Geschäftsleitung");
  EXPECT_EQ(de.glossary[0].term, "Journey Owner");
  EXPECT_EQ(de.stages[1].name, "Erkunden");
  EXPECT_EQ(de.stages[1].obstacle_actions[0].title, "Zielkonflikte entscheiden");
  EXPECT_EQ(de.competencies[0].comment, "Was sollten Führungskräfte tun?");
  EXPECT_EQ(de.items[0].text, "Jeder Journey Owner ist benannt.");
  EXPECT_EQ(de.actions[0].action.owner, "Die Chefin");
  // Ids, structure and numbers stay the model's.
  EXPECT_EQ(de.items[0].id, "L2");
  EXPECT_EQ(de.items[0].stage, 2);
  EXPECT_EQ(de.id, "mini");
  EXPECT_EQ(de.threshold, 60);
}

TEST(TranslationParser, NamesAMissingTranslationAtItsPlace) {
  const std::string text =
      replaced(kGerman, "  L2: Jeder Journey Owner ist benannt.\n", "  L9: x\n");
  EXPECT_EQ(translation_problems(text),
            "mini.de.yaml:23:3: items: unknown statement 'L9'; did you mean 'L2'?\n"
            "mini.de.yaml:23:3: items: no translation for 'L2'\n");
}

TEST(TranslationParser, AGlossaryTermMustBeWhereRespondentsReadIt) {
  const std::string text =
      replaced(kGerman, "{term: Journey Owner,", "{term: Prozessverantwortliche,");
  EXPECT_EQ(translation_problems(text),
            "mini.de.yaml:11:25: glossary 'journey owner': no translated statement and not the "
            "translated introduction uses the term 'Prozessverantwortliche'\n");
}

TEST(TranslationParser, RefusesTextTheModelDoesNotHave) {
  // The model's competency has no description: there is nothing to translate.
  const std::string text =
      replaced(kGerman, "lead: {name: Führung,", "lead: {name: Führung, description: x,");
  EXPECT_EQ(translation_problems(text),
            "mini.de.yaml:21:39: competency 'lead': 'description' has no text in the model to "
            "translate\n");
  // An action too many.
  const std::string extra =
      replaced(kGerman, "      - {title: Anfangen, detail: Beginnen., owner: Die Chefin}\n",
               "      - {title: Anfangen, detail: Beginnen., owner: Die Chefin}\n"
               "      - {title: Noch eine}\n");
  EXPECT_NE(
      translation_problems(extra).find("actions of 'lead' at stage 1: the model has 1 action here, "
                                       "the translation 2"),
      std::string::npos)
      << translation_problems(extra);
}

TEST(TranslationParser, ChecksWhatItTranslates) {
  EXPECT_NE(translation_problems(replaced(kGerman, "model: mini", "model: other"))
                .find("it translates model 'other', not 'mini'"),
            std::string::npos);
  EXPECT_NE(translation_problems(replaced(kGerman, "version: \"1\"", "version: \"2\""))
                .find("it translates version 2 of the model, which is at version 1"),
            std::string::npos);
  EXPECT_NE(translation_problems(replaced(kGerman, "language: de", "language: en"))
                .find("'en' is the model's own language"),
            std::string::npos);
  EXPECT_NE(translation_problems(replaced(kGerman, "language: de", "language: German"))
                .find("is not a language tag"),
            std::string::npos);
  EXPECT_NE(
      translation_problems(replaced(kGerman, "labels: [Stimme nicht zu, Weder noch, Stimme zu]",
                                    "labels: [Nein, Ja]"))
          .find("scale: the model has 3 labels, the translation 2"),
      std::string::npos);
}

TEST(TranslationParser, BadInputIsADiagnosticNeverACrash) {
  for (const std::string& text :
       {std::string(""), std::string("["), std::string("- a\n- b\n"), std::string("language: [\n"),
        std::string("language: de\nmodel: mini\nversion: \"1\"\nitems: [1, 2]\n"),
        std::string("language: de\nmodel: mini\nversion: \"1\"\nactions: {lead: {x: 1}}\n"),
        std::string("language: de\nmodel: mini\nversion: \"1\"\nstages: {ignore: 3}\n"),
        std::string("\xff\xfe")}) {
    const auto result = parse_translation(text, "t.yaml", base());
    EXPECT_FALSE(result.model) << text;
    EXPECT_FALSE(result.diagnostics.empty()) << text;
  }
}

TEST(TranslationParser, FindsTheTranslationsBesideAModel) {
  EXPECT_EQ(translation_path("models/cx-maturity.yaml", "de"), "models/cx-maturity.de.yaml");
  EXPECT_EQ(translation_path("mini", "fr"), "mini.fr.yaml");
  const auto dir =
      std::filesystem::temp_directory_path() / ("cxm-translations-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const char* name : {"m.yaml", "m.de.yaml", "m.pt-BR.yaml", "m.backup.yaml", "n.de.yaml"})
    std::ofstream(dir / name) << "x";
  const auto found = translation_files((dir / "m.yaml").string());
  std::filesystem::remove_all(dir);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].first, "de");
  EXPECT_EQ(found[1].first, "pt-BR");
  EXPECT_EQ(found[1].second, (dir / "m.pt-BR.yaml").string());
}

}  // namespace
}  // namespace cxm::model
