// The live workshop (SPEC section 4.2, issue 16): a facilitator walks a
// room through statements one step at a time, people answer on their
// phones, and a statement's distribution is revealed to the room only when
// enough people answered it (docs/anonymity.md, rule 5). Pure
// functions: the join code, the steps, the reveal rule, the second round.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/discussion.h"
#include "core/model.h"
#include "core/scoring.h"
#include "core/workshop_pace.h"

namespace cxm::core {

// Join codes: kJoinCodeLength characters without look-alikes (no 0/O,
// 1/I/L): 31^6, about 8.9e8 codes (29.7 bits) for the few workshops open
// at once; wrong codes are rate-limited per client address by the caller.
inline constexpr std::string_view kJoinCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
inline constexpr std::size_t kJoinCodeLength = 6;

// A code from kJoinCodeLength random 32-bit numbers (one character each;
// the modulo bias of 2^32 mod 31 is below 1e-8). `random` must hold at
// least kJoinCodeLength numbers.
std::string join_code_from(std::span<const std::uint32_t> random);

// A code as a person types it: case, spaces and dashes do not matter.
// nullopt unless what remains is kJoinCodeLength characters of the
// alphabet (look-alikes such as 0 or O are not in it), or when the text is
// longer than 64 bytes.
std::optional<std::string> parse_join_code(std::string_view typed);

// How a workshop walks through the statements: Pace and StepOrder
// (core/workshop_pace.h).

// The steps of a round, each a list of item indices. `order` lists items
// in the order to ask them (the discussion agenda's, or empty for model
// order); items it leaves out follow in model order, and repeats are
// ignored. One statement a step, or one competency a step (its statements
// together, the competencies in the order their first statement comes).
std::vector<std::vector<std::size_t>> workshop_steps(const Model& model, Pace pace,
                                                     std::span<const std::size_t> order);

// The reveal rule: a statement's distribution is shown only when at least
// `min_group_size` people answered it, and at least two. "Don't know"
// counts as an answer, as everywhere (docs/anonymity.md): the rule then
// depends only on the count the projector already shows, so refusing or
// allowing a reveal tells nobody more than that count (counting ratings
// alone would tell, as one known person answers, whether it was "don't
// know").
bool can_reveal(std::size_t answered, int min_group_size);

// A revealed statement's figures from its frozen histogram (answers per
// scale point, min..max) and its "don't know" answers.
// `item` indexes `model.items`; a statement worded in reverse is scored so.
ItemResult revealed_result(const Model& model, std::size_t item,
                           std::span<const std::size_t> histogram, std::size_t dont_know);

// The statements a second round asks again: those revealed in the first
// round whose answers show disagreement (rwg below 0.50, or split into two
// camps), in the order given.
std::vector<std::size_t> second_round_items(std::span<const ItemResult> revealed_first_round);

}  // namespace cxm::core
