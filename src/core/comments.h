// Comments (SPEC section 2, 4.9): the optional free text a respondent writes
// at the end of a competency. Never scored; shown only where the anonymity
// rules allow (SPEC section 8, docs/anonymity.md "Comments"). Pure
// functions: what a comment may hold, and which comments a view may show
// and in what order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace cxm::core {

// At most this many characters (Unicode code points) per comment.
inline constexpr std::size_t kMaxCommentLength = 2000;

// The comment as kept: line breaks as "\n" (CR LF and lone CR become LF),
// outer white space trimmed. Does not check it (comment_problem does).
std::string normalized_comment(std::string_view text);

// Why `text` cannot be kept as a comment, in words for the writer, or
// nullopt: not well-formed UTF-8, a control character other than a line
// break or tab (they would corrupt reports, CSV and logs), invisible
// direction marks, or longer than kMaxCommentLength characters.
std::optional<std::string> comment_problem(std::string_view text);

// One stored comment, for choosing what may be shown.
struct CommentEntry {
  std::string id;  // the store's id; empty for comments from a file
  std::string competency;
  std::string text;
  // Written in a row the facilitator supplied (an imported respondent): it
  // is shown with the others but never counts towards the minimum group.
  bool supplied = false;
  bool hidden = false;  // hidden by the facilitator (its text never shown)
  std::string hidden_reason{};
};

// The comments of one competency that asks a comment question.
struct CommentGroup {
  std::string competency;  // its id
  // Shown: the texts in the keyed order (never the order of submission),
  // without the hidden ones.
  std::vector<const CommentEntry*> shown;
  // Hidden by the facilitator (listed with their reason), in keyed order.
  std::vector<const CommentEntry*> hidden;
  // Why nothing of this competency is shown, or empty: fewer than the
  // minimum group of people who answered themselves commented. The words
  // say the rule, never how many did.
  std::string withheld;
};

// What a view may show of `entries` (the comments of the responses the
// view publishes): per competency of `model` with a comment question, in
// model order. With `min_group` > 1 a competency's comments are shown only
// when at least `min_group` of them were written by people who answered
// themselves (supplied ones never count; hidden ones count, they were
// written). The order is a keyed hash of `key`, the competency and the
// text (then the id), so it depends on no one's place in any list.
// Entries of competencies without a question are left out. The groups
// point into `entries`.
std::vector<CommentGroup> shown_comments(const Model& model,
                                         const std::vector<CommentEntry>& entries,
                                         std::size_t min_group, std::string_view key);

// Whether any competency of `model` asks a comment question.
bool asks_comments(const Model& model);

// The words for a competency whose comments are withheld.
std::string comments_withheld_reason(std::size_t min_group);

}  // namespace cxm::core
