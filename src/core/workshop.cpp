#include "core/workshop.h"

#include <algorithm>
#include <cctype>

namespace cxm::core {

std::string join_code_from(std::span<const std::uint32_t> random) {
  std::string code;
  for (std::size_t i = 0; i < kJoinCodeLength && i < random.size(); ++i) {
    code += kJoinCodeAlphabet[random[i] % kJoinCodeAlphabet.size()];
  }
  return code;
}

std::optional<std::string> parse_join_code(std::string_view typed) {
  if (typed.size() > 64) return std::nullopt;
  std::string code;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (kJoinCodeAlphabet.find(upper) == std::string_view::npos) return std::nullopt;
    code += upper;
    if (code.size() > kJoinCodeLength) return std::nullopt;
  }
  if (code.size() != kJoinCodeLength) return std::nullopt;
  return code;
}

const char* to_string(Pace value) { return value == Pace::competency ? "competency" : "statement"; }
const char* to_string(StepOrder value) { return value == StepOrder::agenda ? "agenda" : "model"; }

std::optional<Pace> pace_from(std::string_view text) {
  if (text == "statement") return Pace::statement;
  if (text == "competency") return Pace::competency;
  return std::nullopt;
}

std::optional<StepOrder> step_order_from(std::string_view text) {
  if (text == "model") return StepOrder::model;
  if (text == "agenda") return StepOrder::agenda;
  return std::nullopt;
}

std::vector<std::vector<std::size_t>> workshop_steps(const Model& model, Pace pace,
                                                     std::span<const std::size_t> order) {
  std::vector<std::size_t> items;
  std::vector<bool> taken(model.items.size(), false);
  auto take = [&](std::size_t i) {
    if (i >= model.items.size() || taken[i]) return;
    taken[i] = true;
    items.push_back(i);
  };
  for (std::size_t i : order) take(i);
  for (std::size_t i = 0; i < model.items.size(); ++i) take(i);

  std::vector<std::vector<std::size_t>> steps;
  if (pace == Pace::statement) {
    for (std::size_t i : items) steps.push_back({i});
    return steps;
  }
  // A competency at a time, its statements in the order given.
  std::vector<std::size_t> step_of(model.competencies.size(), SIZE_MAX);
  for (std::size_t i : items) {
    const std::size_t c = model.items[i].competency;
    if (step_of[c] == SIZE_MAX) {
      step_of[c] = steps.size();
      steps.emplace_back();
    }
    steps[step_of[c]].push_back(i);
  }
  return steps;
}

bool can_reveal(std::size_t answered, int min_group_size) {
  return answered >= 2 && answered >= static_cast<std::size_t>(std::max(min_group_size, 0));
}

ItemResult revealed_result(const Model& model, std::size_t item,
                           std::span<const std::size_t> histogram, std::size_t dont_know) {
  std::size_t rated = 0;
  for (std::size_t n : histogram) rated += n;
  return score_item(model.scale, item, histogram, rated + dont_know, model.items[item].reverse);
}

std::vector<std::size_t> second_round_items(std::span<const ItemResult> revealed_first_round) {
  std::vector<std::size_t> out;
  for (const ItemResult& r : revealed_first_round) {
    if (r.agreement == AgreementClass::disagreement) out.push_back(r.item);
  }
  return out;
}

}  // namespace cxm::core
