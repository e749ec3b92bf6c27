#include "core/comments.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/test_support.h"

namespace cxm::core {
namespace {

Model model_with_questions() {
  Model m = testing::make_model(3, {{"a1", "A", 2}, {"b1", "B", 2}, {"c1", "C", 2}});
  m.competencies[0].comment = "What would help here?";
  m.competencies[1].comment = "Anything else?";
  return m;  // C asks no comment
}

CommentEntry entry(std::string id, std::string competency, std::string text,
                   bool supplied = false) {
  return CommentEntry{std::move(id), std::move(competency), std::move(text), supplied, false, ""};
}

TEST(CommentText, KeepsLineBreaksAndTrims) {
  EXPECT_EQ(normalized_comment("  one\r\ntwo\rthree\n\n "), "one\ntwo\nthree");
  EXPECT_EQ(normalized_comment(" \n\t "), "");
}

TEST(CommentText, RefusesControlsBadUtf8AndOverlongText) {
  EXPECT_FALSE(comment_problem("Fine.\nSecond line,\ttabbed. Grüße 👍"));
  EXPECT_TRUE(comment_problem(std::string("a\0b", 3)));
  EXPECT_TRUE(comment_problem("bell\a"));
  EXPECT_TRUE(comment_problem("escape \x1b[31m"));
  EXPECT_TRUE(comment_problem("c1 \xC2\x85"));        // NEL
  EXPECT_TRUE(comment_problem("bidi \xE2\x80\xAE"));  // U+202E
  EXPECT_TRUE(comment_problem("a\xD8\x9C"));          // U+061C Arabic letter mark
  EXPECT_TRUE(
      comment_problem("a\xE2\x80\x8B"
                      "b"));                      // U+200B zero-width space
  EXPECT_TRUE(comment_problem("\xEF\xBB\xBFx"));  // U+FEFF byte order mark
  EXPECT_TRUE(
      comment_problem("a\xE2\x81\xA0"
                      "b"));  // U+2060 word joiner
  EXPECT_TRUE(
      comment_problem("a\xE2\x81\xA4"
                      "b"));  // U+2064 invisible plus
  // Emoji sequences and scripts need the zero-width joiner and non-joiner.
  EXPECT_FALSE(comment_problem("\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB"));
  EXPECT_FALSE(
      comment_problem("a\xE2\x80\x8C"
                      "b"));
  EXPECT_TRUE(comment_problem("\xC0\xAF"));      // overlong
  EXPECT_TRUE(comment_problem("\xED\xA0\x80"));  // surrogate
  EXPECT_TRUE(comment_problem("cut \xE2\x82"));  // truncated
  EXPECT_FALSE(comment_problem(std::string(kMaxCommentLength, 'x')));
  EXPECT_TRUE(comment_problem(std::string(kMaxCommentLength + 1, 'x')));
  // Characters, not bytes: 2,000 two-byte letters are allowed.
  std::string umlauts;
  for (std::size_t i = 0; i < kMaxCommentLength; ++i) umlauts += "\xC3\xA4";
  EXPECT_FALSE(comment_problem(umlauts));
  EXPECT_NE(comment_problem(umlauts + "\xC3\xA4")->find("longer than 2000"), std::string::npos);
}

TEST(ShownComments, OnlyCompetenciesWithAQuestionInModelOrder) {
  const Model m = model_with_questions();
  const std::vector<CommentEntry> entries = {entry("1", "B", "b"), entry("2", "C", "c"),
                                             entry("3", "A", "a")};
  const auto groups = shown_comments(m, entries, 1, "k");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].competency, "A");
  EXPECT_EQ(groups[1].competency, "B");
  ASSERT_EQ(groups[0].shown.size(), 1u);
  EXPECT_EQ(groups[0].shown[0]->text, "a");
}

TEST(ShownComments, BelowTheMinimumGroupNothingIsShownAndTheReasonGivesNoCount) {
  const Model m = model_with_questions();
  const std::vector<CommentEntry> two = {entry("1", "A", "x"), entry("2", "A", "y")};
  auto groups = shown_comments(m, two, 3, "k");
  EXPECT_TRUE(groups[0].shown.empty());
  EXPECT_EQ(groups[0].withheld, comments_withheld_reason(3));
  // No comment at all says the same words: nobody learns 0 from 1 or 2.
  EXPECT_EQ(groups[1].withheld, groups[0].withheld);
  EXPECT_EQ(groups[0].withheld.find('2'), std::string::npos);
}

TEST(ShownComments, SuppliedCommentsNeverCompleteAGroup) {
  const Model m = model_with_questions();
  std::vector<CommentEntry> entries = {entry("1", "A", "x"), entry("2", "A", "y"),
                                       entry("3", "A", "imported", true)};
  EXPECT_FALSE(shown_comments(m, entries, 3, "k")[0].withheld.empty());
  entries.push_back(entry("4", "A", "z"));
  const auto groups = shown_comments(m, entries, 3, "k");
  EXPECT_TRUE(groups[0].withheld.empty());
  EXPECT_EQ(groups[0].shown.size(), 4u);  // shown with the others once the group stands
}

TEST(ShownComments, HiddenOnesCountButAreListedApart) {
  const Model m = model_with_questions();
  std::vector<CommentEntry> entries = {entry("1", "A", "x"), entry("2", "A", "y"),
                                       entry("3", "A", "z")};
  entries[1].hidden = true;
  entries[1].hidden_reason = "names a colleague";
  const auto groups = shown_comments(m, entries, 3, "k");
  EXPECT_TRUE(groups[0].withheld.empty());
  EXPECT_EQ(groups[0].shown.size(), 2u);
  ASSERT_EQ(groups[0].hidden.size(), 1u);
  EXPECT_EQ(groups[0].hidden[0]->hidden_reason, "names a colleague");
}

// The order depends on the texts and the key, never on the order the
// comments came in (submission order).
TEST(ShownComments, OrderIsKeyedNotSubmissionOrder) {
  const Model m = model_with_questions();
  std::vector<CommentEntry> entries;
  for (int i = 0; i < 12; ++i)
    entries.push_back(entry(std::to_string(i), "A", "comment number " + std::to_string(i)));
  const auto texts = [&](const std::vector<CommentEntry>& list, std::string_view key) {
    std::vector<std::string> out;
    const auto groups = shown_comments(m, list, 3, key);
    for (const auto* e : groups[0].shown) out.push_back(e->text);
    return out;
  };
  const auto forward = texts(entries, "cycle-1");
  std::vector<CommentEntry> reversed(entries.rbegin(), entries.rend());
  EXPECT_EQ(texts(reversed, "cycle-1"), forward);
  std::vector<std::string> submitted;
  for (const auto& e : entries) submitted.push_back(e.text);
  EXPECT_NE(forward, submitted);
  auto sorted = forward;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_NE(forward, sorted);
  EXPECT_NE(texts(entries, "cycle-2"), forward);  // another key, another order
}

}  // namespace
}  // namespace cxm::core
