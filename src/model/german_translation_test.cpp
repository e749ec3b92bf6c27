// The German translation shipped with the default model
// (models/cx-maturity.de.yaml): it validates, and it translates every text.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "core/glossary.h"
#include "model/model_parser.h"
#include "model/translation_parser.h"

namespace cxm::model {
namespace {

const core::Model& english() {
  static const core::Model model = *load_default_model().model;
  return model;
}

core::Model german() {
  const auto& all = default_translations();
  const auto de = std::find_if(all.begin(), all.end(),
                               [](const EmbeddedTranslation& t) { return t.language == "de"; });
  EXPECT_NE(de, all.end()) << "models/cx-maturity.de.yaml is compiled into the binary";
  if (de == all.end()) return {};
  const auto result = parse_translation(de->text, de->name, english());
  for (const auto& d : result.diagnostics) ADD_FAILURE() << format(d);
  return result.model.value_or(core::Model{});
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Texts kept as German CX practitioners say them: the glossary terms
// Customer Journey, Journey Owner, Touchpoint and Voice of the Customer
// (capitalized, as German writes nouns).
const std::set<std::string> kKeptInEnglish = {"customer journey", "journey owner", "touchpoint",
                                              "voice of the customer"};

// Every pair of texts (English, German) the model holds, with where it is.
struct Pair {
  std::string where, en, de;
};

std::vector<Pair> pairs(const core::Model& en, const core::Model& de) {
  std::vector<Pair> out;
  auto add = [&](const std::string& where, const std::string& a, const std::string& b) {
    out.push_back({where, a, b});
  };
  auto actions = [&](const std::string& where, const core::Action& a, const core::Action& b) {
    add(where + " title", a.title, b.title);
    add(where + " detail", a.detail, b.detail);
    add(where + " owner", a.owner, b.owner);
    add(where + " success_measure", a.success_measure, b.success_measure);
  };
  add("title", en.title, de.title);
  add("description", en.description, de.description);
  add("source", en.source, de.source);
  add("introduction", en.introduction, de.introduction);
  for (std::size_t i = 0; i < en.scale.labels.size(); ++i)
    add("scale label " + std::to_string(i + 1), en.scale.labels[i], de.scale.labels[i]);
  add("dont_know", en.scale.dont_know_label, de.scale.dont_know_label);
  for (std::size_t i = 0; i < en.roles.size(); ++i)
    add("role " + en.roles[i].id, en.roles[i].name, de.roles[i].name);
  for (std::size_t i = 0; i < en.glossary.size(); ++i) {
    add("glossary term " + en.glossary[i].term, en.glossary[i].term, de.glossary[i].term);
    add("glossary definition " + en.glossary[i].term, en.glossary[i].definition,
        de.glossary[i].definition);
  }
  for (std::size_t s = 0; s < en.stages.size(); ++s) {
    const auto& a = en.stages[s];
    const auto& b = de.stages[s];
    add("stage " + a.id + " name", a.name, b.name);
    add("stage " + a.id + " description", a.description, b.description);
    add("stage " + a.id + " obstacle", a.obstacle, b.obstacle);
    for (std::size_t k = 0; k < a.obstacle_actions.size(); ++k)
      actions("stage " + a.id + " obstacle action " + std::to_string(k + 1), a.obstacle_actions[k],
              b.obstacle_actions[k]);
  }
  for (std::size_t c = 0; c < en.competencies.size(); ++c) {
    const auto& a = en.competencies[c];
    const auto& b = de.competencies[c];
    add("competency " + a.id + " name", a.name, b.name);
    add("competency " + a.id + " description", a.description, b.description);
    add("competency " + a.id + " comment", a.comment, b.comment);
  }
  for (std::size_t i = 0; i < en.items.size(); ++i)
    add("item " + en.items[i].id, en.items[i].text, de.items[i].text);
  for (std::size_t i = 0; i < en.actions.size(); ++i)
    actions("action " + std::to_string(i + 1), en.actions[i].action, de.actions[i].action);
  return out;
}

TEST(GermanTranslation, ValidatesAgainstTheDefaultModel) {
  const core::Model de = german();
  EXPECT_EQ(de.language, "de");
  EXPECT_EQ(de.id, english().id);
  EXPECT_EQ(de.version, english().version);
}

TEST(GermanTranslation, TranslatesEveryText) {
  const core::Model de = german();
  ASSERT_EQ(de.items.size(), english().items.size());
  std::size_t checked = 0;
  for (const auto& p : pairs(english(), de)) {
    if (p.en.empty()) {
      EXPECT_TRUE(p.de.empty()) << p.where;
      continue;
    }
    ++checked;
    EXPECT_FALSE(p.de.empty()) << p.where;
    if (kKeptInEnglish.contains(lower(p.en))) {
      EXPECT_EQ(lower(p.de), lower(p.en)) << p.where << ": kept as practitioners say it";
      continue;
    }
    EXPECT_NE(lower(p.de), lower(p.en)) << p.where << " is not translated: " << p.de;
  }
  EXPECT_GT(checked, 300u);
}

// The stage names are the German practitioners' words, the same everywhere.
TEST(GermanTranslation, StageNamesAndScale) {
  const core::Model de = german();
  std::vector<std::string> names;
  for (const auto& s : de.stages) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Ignorieren", "Erkunden", "Mobilisieren",
                                             "Operationalisieren", "Ausrichten", "Verankern"}));
  EXPECT_EQ(de.scale.labels.back(), "Stimme voll zu");
  EXPECT_EQ(de.scale.dont_know_label, "Weiß nicht");
  EXPECT_NE(de.description.find("von Ignorieren bis Verankern"), std::string::npos);
}

// Each glossary term appears where the German questionnaire uses it: the
// statements that use the English term use the German one.
TEST(GermanTranslation, StatementsUseTheGermanTermsWhereTheEnglishOnesDo) {
  const core::Model de = german();
  for (std::size_t i = 0; i < english().items.size(); ++i) {
    const auto en_terms = core::glossary_terms_in(english().glossary, english().items[i].text);
    const auto de_terms = core::glossary_terms_in(de.glossary, de.items[i].text);
    EXPECT_EQ(std::set<std::size_t>(en_terms.begin(), en_terms.end()),
              std::set<std::size_t>(de_terms.begin(), de_terms.end()))
        << english().items[i].id << ": " << de.items[i].text;
  }
}

// The formal address: the introduction says "Sie", never "du".
TEST(GermanTranslation, AddressesTheReaderFormally) {
  const core::Model de = german();
  EXPECT_NE(de.introduction.find(" Sie "), std::string::npos);
  for (const std::string informal : {" du ", " dein", " dich ", " dir "}) {
    EXPECT_EQ(de.introduction.find(informal), std::string::npos) << informal;
    for (const auto& item : de.items) EXPECT_EQ(item.text.find(informal), std::string::npos);
  }
}

}  // namespace
}  // namespace cxm::model
