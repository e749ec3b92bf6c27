#include "core/response_rate.h"

namespace cxm::core {

std::vector<CountShown> hidden_counts(const std::vector<std::size_t>& shown,
                                      const std::vector<std::size_t>& counted,
                                      std::size_t min_group_size) {
  std::vector<CountShown> out(shown.size(), CountShown::shown);
  std::size_t hidden_counted = 0, hidden_groups = 0;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (counted[i] >= min_group_size) continue;
    out[i] = CountShown::small;
    hidden_counted += counted[i];
    ++hidden_groups;
  }
  while (hidden_groups > 0 && hidden_counted < min_group_size && hidden_groups < shown.size()) {
    std::size_t smallest = shown.size();
    for (std::size_t i = 0; i < shown.size(); ++i) {
      if (out[i] == CountShown::shown && (smallest == shown.size() || shown[i] < shown[smallest]))
        smallest = i;
    }
    out[smallest] = CountShown::reveals;
    hidden_counted += counted[smallest];
    ++hidden_groups;
  }
  return out;
}

std::vector<ResponseWarning> response_warnings(std::size_t invited, std::size_t submitted,
                                               std::size_t submitted_themselves,
                                               const std::vector<GroupResponses>& groups,
                                               bool anonymous, std::size_t min_group_size) {
  std::vector<ResponseWarning> warnings;
  if (invited == 0) return warnings;
  const std::string k = std::to_string(min_group_size);
  if (anonymous && submitted_themselves < min_group_size) {
    warnings.push_back(
        {"too_few_to_publish",
         "Fewer than " + k +
             " people have submitted themselves: no result can be published yet. An anonymous "
             "cycle shows results only from " +
             k + " people who answered themselves (imported rows do not count)."});
  }
  // In whole percent, rounded down, without floating point (0.29 * 100 is
  // 28.999… in binary).
  const std::size_t percent = submitted * 100 / invited;
  if (percent < kLowResponsePercent) {
    warnings.push_back({"low_rate", std::to_string(percent) +
                                        "% of the people invited have submitted. Below " +
                                        std::to_string(kLowResponsePercent) +
                                        "% the "
                                        "results may speak for those who answered rather than "
                                        "for the organization: remind people before closing."});
  }
  // Before anything can be published every group is small: saying so
  // group by group would only repeat the first warning.
  if (anonymous && submitted_themselves >= min_group_size) {
    std::string names;
    std::size_t small = 0;
    for (const auto& g : groups) {
      if (g.invited == 0 || g.submitted_themselves >= min_group_size) continue;
      names += (names.empty() ? "" : ", ") + g.name;
      ++small;
    }
    if (small > 0) {
      warnings.push_back(
          {"small_groups", names + (small == 1 ? " has" : " have") + " fewer than " + k +
                               " people who submitted themselves, so " +
                               (small == 1 ? "it stays" : "they stay") +
                               " hidden in the results (their answers still count in the whole)."});
    }
  }
  return warnings;
}

}  // namespace cxm::core
