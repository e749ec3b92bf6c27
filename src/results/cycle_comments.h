// What of a cycle's comments may be shown (SPEC sections 2, 4.9 and 8;
// docs/anonymity.md "Comments"): only those of the responses the cycle's
// report publishes (an anonymous cycle's releases; a named cycle's
// submissions), per competency only from the minimum group of people who
// answered themselves (an anonymous cycle's k; imported rows never count),
// in a keyed order that is no order of submission, and never with a role,
// unit, time or person. One rule for every view: GET .../comments, the
// report JSON, HTML and workbook.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/comments.h"
#include "store/store.h"

namespace cxm::results {

// Moved, never copied: `groups` point into `entries`.
struct CycleComments {
  CycleComments() = default;
  CycleComments(CycleComments&&) = default;
  CycleComments& operator=(CycleComments&&) = default;
  CycleComments(const CycleComments&) = delete;
  CycleComments& operator=(const CycleComments&) = delete;

  std::vector<core::CommentEntry> entries;  // of published responses only
  std::vector<core::CommentGroup> groups;   // point into `entries`
  std::size_t min_group = 1;                // 1: a named cycle
  // Why nothing may be shown yet (an anonymous cycle before its first
  // release), or empty.
  std::string withheld;
};

// `answers`: the cycle's links (Store::cycle_answers), `stored`: its
// comments (Store::cycle_comments).
CycleComments cycle_comments(const store::Cycle& cycle, const core::Model& model,
                             const std::vector<store::ParticipantAnswers>& answers,
                             const std::vector<store::CycleComment>& stored);

}  // namespace cxm::results
