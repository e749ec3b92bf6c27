// Which segments of an anonymous cycle's results may be shown, so that no
// figure, and no difference or other combination of figures, describes
// fewer than k people (docs/anonymity.md).
//
// Results are published in releases (each close of the cycle that brings at
// least k new submissions). Every figure ever shown is a sum over a set of
// people: the whole group at some release, or a role or unit segment at
// some release. Any combination of figures is then constant on "atoms":
// the people who belong to exactly the same shown sets. If every atom holds
// no one or at least k people, no combination isolates fewer than k. People
// whose answers the facilitator supplied (imported rows) are known to them,
// so they do not count where anyone answered themselves: an atom is counted
// as segments count a group (counted_towards_group in segments.h). For
// each release in turn, earlier releases being fixed, segments are hidden
// (the smaller first) until that holds; hiding every segment always
// satisfies it, because a release adds at least k people.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/segments.h"

namespace cxm::core {

struct DisclosureMember {
  std::string role;         // empty: none
  std::string unit;         // empty: none
  std::size_t release = 0;  // the release (1, 2, ...) that first included them
  // Answers the facilitator supplied (imported): published with the others
  // but never counted towards k, since the facilitator knows them.
  bool supplied = false;
};

// The segments shown in one release, and why each segment of that release
// that is not shown is hidden (its true reason: fewer than k counted
// people, or the smaller group it would reveal beside the figures shown).
struct ShownSegments {
  std::set<std::string> roles;
  std::set<std::string> units;
  std::map<std::string, SegmentHidden> hidden_roles;
  std::map<std::string, SegmentHidden> hidden_units;
  bool shows_role(const std::string& r) const { return roles.contains(r); }
  bool shows_unit(const std::string& u) const { return units.contains(u); }
};

// The segments shown in each release 1..release_count (element i is
// release i + 1), each decided given the earlier ones. Members with release
// 0 or above release_count are not published and are ignored.
std::vector<ShownSegments> shown_segments(const std::vector<DisclosureMember>& members,
                                          std::size_t release_count, std::size_t k);

// The smallest atom, counted as segments count a group, over all releases'
// shown sets (for tests and the methods appendix); 0 when there are no
// members.
std::size_t smallest_atom(const std::vector<DisclosureMember>& members,
                          const std::vector<ShownSegments>& shown);

}  // namespace cxm::core
