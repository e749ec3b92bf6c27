// Synthetic answers for demonstrations and benchmarks. Deterministic for a
// given seed. Never present these as real data: callers label them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/responses.h"

namespace cxm::core {

struct SyntheticProfile {
  std::size_t respondents = 40;
  double maturity = 3.0;           // roughly the stage the group sits at (1..N)
  double spread = 0.8;             // standard deviation of individual answers
  double dont_know = 0.05;         // share of "don't know"
  std::vector<std::string> units;  // assigned round-robin; may be empty
  std::uint64_t seed = 1;
  // The organization's character: which competencies sit above or below
  // its maturity. Cycles of one organization share it, so that its
  // strengths and weaknesses stay from cycle to cycle. 0: drawn from `seed`.
  std::uint64_t character_seed = 0;
};

// Answers that agree with practices up to about `maturity` and less with
// higher stages; executives answer a little more positively than the
// frontline, as groups commonly do. Roles are drawn from the model's roles.
Responses synthetic_responses(const Model& model, const SyntheticProfile& profile);

}  // namespace cxm::core
