// Whether a cycle's responses are enough to publish (SPEC section 4.7):
// the warnings the cycle page shows while it is open. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace cxm::core {

// A role or unit: its display name, how many were invited, and how many of
// them submitted themselves (imported rows are the facilitator's, and
// count towards no group: core::counted_towards_group).
struct GroupResponses {
  std::string name;
  std::size_t invited = 0;
  std::size_t submitted_themselves = 0;
};

// Whether a group of one dimension (roles, or units) shows a response
// count in an anonymous cycle, and if not, why: `small` when its count,
// counting only people who answered themselves, is below k (0 included,
// since "none yet" tells as much as "one"); `reveals` when it is not, but
// the hidden groups together would hold fewer than k counted people and the
// exact total minus the shown groups would give their sum (complementary
// suppression: the smallest shown groups are hidden until they hold k).
enum class CountShown { shown, small, reveals };
std::vector<CountShown> hidden_counts(const std::vector<std::size_t>& shown,
                                      const std::vector<std::size_t>& counted,
                                      std::size_t min_group_size);

struct ResponseWarning {
  std::string code;  // too_few_to_publish, low_rate, small_groups
  std::string message;
};

// The rate (percent) below which a verdict may not speak for the
// organization.
inline constexpr std::size_t kLowResponsePercent = 30;

// `invited` and `submitted` count every link (imported respondents too);
// small groups are named only once enough people submitted to publish;
// `submitted_themselves` leaves imported ones out. `min_group_size` is the
// cycle's k; in a named cycle only the rate is warned about.
std::vector<ResponseWarning> response_warnings(std::size_t invited, std::size_t submitted,
                                               std::size_t submitted_themselves,
                                               const std::vector<GroupResponses>& groups,
                                               bool anonymous, std::size_t min_group_size);

}  // namespace cxm::core
