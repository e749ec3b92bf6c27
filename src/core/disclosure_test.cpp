#include "core/disclosure.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <tuple>

namespace cxm::core {
namespace {

std::vector<DisclosureMember> people(
    std::initializer_list<std::tuple<const char*, const char*, int>> list) {
  std::vector<DisclosureMember> out;
  for (const auto& [role, unit, release] : list)
    out.push_back({role, unit, static_cast<std::size_t>(release)});
  return out;
}

// Every figure shown, as the set of members it sums over (one row each).
std::vector<std::vector<double>> shown_sets(const std::vector<DisclosureMember>& members,
                                            const std::vector<ShownSegments>& shown) {
  std::vector<std::vector<double>> rows;
  for (std::size_t release = 1; release <= shown.size(); ++release) {
    auto set_of = [&](auto in) {
      std::vector<double> row(members.size());
      for (std::size_t i = 0; i < members.size(); ++i) {
        const auto& m = members[i];
        row[i] = m.release >= 1 && m.release <= release && in(m) ? 1.0 : 0.0;
      }
      rows.push_back(row);
    };
    set_of([](const DisclosureMember&) { return true; });
    for (const auto& r : shown[release - 1].roles)
      set_of([&](const DisclosureMember& m) { return m.role == r; });
    for (const auto& u : shown[release - 1].units)
      set_of([&](const DisclosureMember& m) { return m.unit == u; });
  }
  return rows;
}

std::size_t rank(std::vector<std::vector<double>> rows) {
  std::size_t r = 0;
  const std::size_t cols = rows.empty() ? 0 : rows[0].size();
  for (std::size_t c = 0; c < cols && r < rows.size(); ++c) {
    std::size_t pivot = r;
    for (std::size_t i = r; i < rows.size(); ++i) {
      if (std::fabs(rows[i][c]) > std::fabs(rows[pivot][c])) pivot = i;
    }
    if (std::fabs(rows[pivot][c]) < 1e-9) continue;
    std::swap(rows[r], rows[pivot]);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (i == r) continue;
      const double f = rows[i][c] / rows[r][c];
      for (std::size_t j = c; j < cols; ++j) rows[i][j] -= f * rows[r][j];
    }
    ++r;
  }
  return r;
}

// Whether some combination of the shown figures sums over exactly a
// non-empty part of `group` (and no one else): the group's members' answers
// could be told apart from everyone else's. Checked by linear algebra,
// independently of the atoms the rule itself uses.
bool isolatable(const std::vector<std::vector<double>>& shown,
                const std::vector<std::size_t>& group, std::size_t people) {
  auto with = shown;
  for (std::size_t g : group) {
    std::vector<double> unit(people, 0.0);
    unit[g] = 1.0;
    with.push_back(unit);
  }
  return rank(with) < rank(shown) + group.size();
}

// No set of fewer than k published members can be isolated by any
// combination of the figures shown across all releases.
void expect_no_small_group_isolatable(const std::vector<DisclosureMember>& members,
                                      const std::vector<ShownSegments>& shown, std::size_t k) {
  std::vector<std::size_t> published;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (members[i].release >= 1 && members[i].release <= shown.size()) published.push_back(i);
  }
  const auto sets = shown_sets(members, shown);
  // Groups of 1 .. k-1 published members (k <= 4 here).
  const std::size_t n = published.size();
  for (std::size_t a = 0; a < n; ++a) {
    ASSERT_FALSE(isolatable(sets, {published[a]}, members.size())) << "member " << published[a];
    if (k <= 2) continue;
    for (std::size_t b = a + 1; b < n; ++b) {
      ASSERT_FALSE(isolatable(sets, {published[a], published[b]}, members.size()));
      if (k <= 3) continue;
      for (std::size_t c = b + 1; c < n; ++c) {
        ASSERT_FALSE(isolatable(sets, {published[a], published[b], published[c]}, members.size()));
      }
    }
  }
}

TEST(Disclosure, ASmallUnitHidesAnotherSoTheWholeCannotBeSubtracted) {
  // Sales 3, Support 1: Support alone is below 3, and the whole minus Sales
  // would be the Support person, so Sales goes too.
  const auto members =
      people({{"", "Sales", 1}, {"", "Sales", 1}, {"", "Sales", 1}, {"", "Support", 1}});
  const auto shown = shown_segments(members, 1, 3);
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_TRUE(shown[0].units.empty());
  expect_no_small_group_isolatable(members, shown, 3);
}

TEST(Disclosure, EachHiddenSegmentSaysItsTrueReason) {
  // Retail 6 and Digital 1 (k 3): Digital is below k; Retail is large
  // enough but would reveal Digital's answers by subtraction from the whole.
  // Executives (4, one of them in Digital) and frontline (3, all in Retail).
  const auto members = people({{"executive", "Retail", 1},
                               {"executive", "Retail", 1},
                               {"executive", "Retail", 1},
                               {"frontline", "Retail", 1},
                               {"frontline", "Retail", 1},
                               {"frontline", "Retail", 1},
                               {"executive", "Digital", 1}});
  const auto shown = shown_segments(members, 1, 3);
  ASSERT_EQ(shown.size(), 1u);
  const ShownSegments& now = shown[0];
  EXPECT_TRUE(now.units.empty());
  ASSERT_TRUE(now.hidden_units.contains("Digital"));
  EXPECT_EQ(now.hidden_units.at("Digital").reason, HiddenReason::fewer_than_k);
  ASSERT_TRUE(now.hidden_units.contains("Retail"));
  const SegmentHidden& retail = now.hidden_units.at("Retail");
  EXPECT_EQ(retail.reason, HiddenReason::reveals_smaller_group);
  EXPECT_EQ(retail.reveals.kind, "unit");
  EXPECT_EQ(retail.reveals.value, "Digital");
  // Every segment not shown has a reason, and no shown one has.
  for (const auto& [role, why] : now.hidden_roles) EXPECT_FALSE(now.shows_role(role)) << role;
  for (const char* role : {"executive", "frontline"}) {
    EXPECT_TRUE(now.shows_role(role) || now.hidden_roles.contains(role)) << role;
  }
  expect_no_small_group_isolatable(members, shown, 3);
}

// Managers 4 (2 in Sales, 2 in Support), frontline 6, units 5 and 5, k 3:
// roles and units cannot both be shown, since 2 managers share a unit. The
// reason names no group: "fewer than 3 people in Sales" would say that 1 or
// 2 Sales managers answered (it named the unit the 2 share).
TEST(Disclosure, AReasonNeverNamesACrossOfRoleAndUnit) {
  const auto members = people({{"manager", "Sales", 1},
                               {"manager", "Sales", 1},
                               {"frontline", "Sales", 1},
                               {"frontline", "Sales", 1},
                               {"frontline", "Sales", 1},
                               {"manager", "Support", 1},
                               {"manager", "Support", 1},
                               {"frontline", "Support", 1},
                               {"frontline", "Support", 1},
                               {"frontline", "Support", 1}});
  // Every unit and role is large enough; what is hidden is hidden for the
  // 2 managers of a unit, a cross no reason may name.
  const ShownSegments now = shown_segments(members, 1, 3)[0];
  std::size_t hidden = 0;
  for (const auto* why : {&now.hidden_units, &now.hidden_roles}) {
    for (const auto& [value, reason] : *why) {
      EXPECT_EQ(reason.reason, HiddenReason::reveals_smaller_group) << value;
      EXPECT_EQ(reason.reveals.kind, "") << value << " names " << reason.reveals.value;
      ++hidden;
    }
  }
  EXPECT_GT(hidden, 0u);
  expect_no_small_group_isolatable(members, {now}, 3);
}

// Whatever the people, a segment hidden though large enough says it would
// isolate a smaller group, and it would: shown beside the shown ones, some
// group falls below k. (Hiding is greedy; a segment it hid early that was
// safe after all is shown again.)
TEST(Disclosure, EverySegmentHiddenAsRevealingWouldReveal) {
  std::mt19937 random(23);
  const char* roles[] = {"a", "b", "c", ""};
  const char* units[] = {"X", "Y", "Z", ""};
  for (int trial = 0; trial < 400; ++trial) {
    std::vector<DisclosureMember> members;
    const int n = 3 + static_cast<int>(random() % 12);
    for (int i = 0; i < n; ++i)
      members.push_back({roles[random() % 4], units[random() % 4], 1, false});
    const auto shown = shown_segments(members, 1, 3);
    const ShownSegments& now = shown[0];
    for (const auto& [hidden, segments, add] :
         {std::tuple{&now.hidden_roles, &ShownSegments::roles, true},
          std::tuple{&now.hidden_units, &ShownSegments::units, false}}) {
      for (const auto& [value, why] : *hidden) {
        if (why.reason != HiddenReason::reveals_smaller_group) continue;
        std::vector<ShownSegments> with = shown;
        (with[0].*segments).insert(value);
        EXPECT_LT(smallest_atom(members, with), 3u)
            << "trial " << trial << ": " << (add ? "role " : "unit ") << value;
      }
    }
  }
}

TEST(Disclosure, PeopleWithNoUnitAreNamedAsSuch) {
  const auto members = people({{"", "Sales", 1}, {"", "Sales", 1}, {"", "Sales", 1}, {"", "", 1}});
  const auto shown = shown_segments(members, 1, 3);
  const auto& why = shown[0].hidden_units;
  ASSERT_TRUE(why.contains("Sales"));
  EXPECT_EQ(why.at("Sales").reason, HiddenReason::reveals_smaller_group);
  EXPECT_EQ(why.at("Sales").reveals.kind, "unit");
  EXPECT_EQ(why.at("Sales").reveals.value, "");
}

TEST(Disclosure, SuppliedAnswersNeverMakeUpAGroup) {
  // Support: one person who answered, two rows the facilitator imported.
  // Showing Support "with 3" would give away the person's answers, since
  // the facilitator knows the two they made up.
  auto members = people({{"", "Sales", 1},
                         {"", "Sales", 1},
                         {"", "Sales", 1},
                         {"", "Support", 1},
                         {"", "Support", 1},
                         {"", "Support", 1}});
  EXPECT_EQ(shown_segments(members, 1, 3)[0].units, (std::set<std::string>{"Sales", "Support"}));
  members[4].supplied = members[5].supplied = true;
  const auto shown = shown_segments(members, 1, 3);
  EXPECT_TRUE(shown[0].units.empty());  // Support, and Sales (the whole minus Sales is Support)
  EXPECT_EQ(smallest_atom(members, shown), 4u);
  // Three who answered in Support, and imported rows besides: shown.
  members.push_back({"", "Support", 1});
  members.push_back({"", "Support", 1});
  EXPECT_EQ(shown_segments(members, 1, 3)[0].units, (std::set<std::string>{"Sales", "Support"}));
}

TEST(Disclosure, PeopleWithoutAUnitCountAsTheRemainder) {
  // Sales 3 and one person with no unit: the whole minus Sales is them.
  const auto members = people({{"", "Sales", 1}, {"", "Sales", 1}, {"", "Sales", 1}, {"", "", 1}});
  EXPECT_TRUE(shown_segments(members, 1, 3)[0].units.empty());
}

TEST(Disclosure, LargeEnoughSegmentsAreAllShown) {
  std::vector<DisclosureMember> members;
  for (int i = 0; i < 12; ++i)
    members.push_back({i % 2 ? "executive" : "manager", i < 6 ? "Sales" : "Support", 1});
  // Cells of 3: executive/Sales, manager/Sales, executive/Support, manager/Support.
  const auto shown = shown_segments(members, 1, 3);
  EXPECT_EQ(shown[0].roles, (std::set<std::string>{"executive", "manager"}));
  EXPECT_EQ(shown[0].units, (std::set<std::string>{"Sales", "Support"}));
  EXPECT_EQ(smallest_atom(members, shown), 3u);
}

TEST(Disclosure, RolesAndUnitsTogetherDoNotIsolateACell) {
  // Units of 4 and 4, roles of 4 and 4, but one cell holds one person: with
  // both breakdowns shown, executive - (executive in Sales) ... isolates
  // them, so one breakdown goes.
  const auto members = people({{"executive", "Sales", 1},
                               {"manager", "Sales", 1},
                               {"manager", "Sales", 1},
                               {"manager", "Sales", 1},
                               {"executive", "Support", 1},
                               {"executive", "Support", 1},
                               {"executive", "Support", 1},
                               {"manager", "Support", 1}});
  const auto shown = shown_segments(members, 1, 3);
  EXPECT_TRUE(shown[0].roles.empty() || shown[0].units.empty());
  EXPECT_EQ(shown[0].roles.size() + shown[0].units.size(), 2u);  // one whole breakdown is kept
  expect_no_small_group_isolatable(members, shown, 3);
}

TEST(Disclosure, ALaterReleaseCannotBeSubtractedFromAnEarlierOne) {
  // Release 1: Sales 3, Support 3, both shown. Release 2 adds three people,
  // one of them in Sales: Sales(2) - Sales(1) would be that one person.
  const auto members = people({{"", "Sales", 1},
                               {"", "Sales", 1},
                               {"", "Sales", 1},
                               {"", "Support", 1},
                               {"", "Support", 1},
                               {"", "Support", 1},
                               {"", "Sales", 2},
                               {"", "Support", 2},
                               {"", "Support", 2}});
  const auto shown = shown_segments(members, 2, 3);
  ASSERT_EQ(shown.size(), 2u);
  EXPECT_EQ(shown[0].units, (std::set<std::string>{"Sales", "Support"}));
  EXPECT_FALSE(shown[1].shows_unit("Sales"));
  expect_no_small_group_isolatable(members, shown, 3);
}

TEST(Disclosure, MembersNotYetReleasedAreIgnored) {
  const auto members =
      people({{"", "Sales", 1}, {"", "Sales", 1}, {"", "Sales", 1}, {"", "Support", 0}});
  const auto shown = shown_segments(members, 1, 3);
  EXPECT_EQ(shown[0].units, (std::set<std::string>{"Sales"}));
  expect_no_small_group_isolatable(members, shown, 3);
}

// Random organizations: whatever the rule shows, no group smaller than k
// can be isolated, checked by linear algebra.
TEST(Disclosure, NoRandomPopulationLeaksAGroupSmallerThanK) {
  std::mt19937 random(20261129);
  const char* roles[] = {"", "executive", "manager", "frontline"};
  const char* units[] = {"", "Sales", "Support", "Operations", "Marketing"};
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t k = 2 + random() % 3;  // 2..4
    const std::size_t releases = 1 + random() % 3;
    std::vector<DisclosureMember> members;
    for (std::size_t release = 1; release <= releases; ++release) {
      const std::size_t added = k + random() % 6;  // every release adds at least k
      for (std::size_t i = 0; i < added; ++i) {
        members.push_back({roles[random() % 4], units[random() % 5], release});
      }
    }
    const auto shown = shown_segments(members, releases, k);
    ASSERT_EQ(shown.size(), releases);
    expect_no_small_group_isolatable(members, shown, k);
    if (HasFatalFailure()) {
      ADD_FAILURE() << "trial " << trial << " k " << k;
      return;
    }
    EXPECT_GE(smallest_atom(members, shown), k) << "trial " << trial;
  }
}

}  // namespace
}  // namespace cxm::core
