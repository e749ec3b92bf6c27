#include "core/disclosure.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "core/segments.h"

namespace cxm::core {
namespace {

void append_part(std::string& out, const std::string& value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
}

// The sets of releases 1..shown.size() a member belongs to, as a key: the
// release that included them (so the whole group of every release) and,
// for each release since, the shown role and unit segment they are in.
std::string signature(const DisclosureMember& m, const std::vector<ShownSegments>& shown) {
  std::string key = std::to_string(m.release);
  for (std::size_t j = m.release; j <= shown.size(); ++j) {
    const ShownSegments& s = shown[j - 1];
    key += '|';
    append_part(key, !m.role.empty() && s.shows_role(m.role) ? m.role : std::string());
    append_part(key, !m.unit.empty() && s.shows_unit(m.unit) ? m.unit : std::string());
  }
  return key;
}

bool published_by(const DisclosureMember& m, std::size_t release) {
  return m.release >= 1 && m.release <= release;
}

// An atom's people, counted as segments count them: those who answered
// themselves, or its supplied members when it has no one else (a
// supplied member's answers are the facilitator's own knowledge).
struct Atom {
  std::size_t total = 0, supplied = 0;
  const DisclosureMember* example = nullptr;
  std::size_t size() const { return counted_towards_group(total, supplied); }
};

std::map<std::string, Atom> atoms_of(const std::vector<DisclosureMember>& members,
                                     const std::vector<ShownSegments>& shown) {
  std::map<std::string, Atom> atoms;
  for (const auto& m : members) {
    if (!published_by(m, shown.size())) continue;
    Atom& atom = atoms[signature(m, shown)];
    ++atom.total;
    atom.supplied += m.supplied ? 1 : 0;
    atom.example = &m;
  }
  return atoms;
}

// Hides segments of the last release in `shown` until no atom is below k:
// each time one of the smallest atom's shown segments (the smaller), or,
// when none of its own is shown (others split off from it), the smallest
// segment still shown.
void hide_until_safe(const std::vector<DisclosureMember>& members,
                     std::vector<ShownSegments>& shown, std::size_t k,
                     const std::map<std::string, std::size_t>& role_size,
                     const std::map<std::string, std::size_t>& unit_size) {
  ShownSegments& now = shown.back();
  for (;;) {
    const auto atoms = atoms_of(members, shown);
    const Atom* worst = nullptr;  // the smallest below k, the first on a tie
    for (const auto& [key, atom] : atoms) {
      if (atom.size() < k && (!worst || atom.size() < worst->size())) worst = &atom;
    }
    if (!worst) return;
    const DisclosureMember& m = *worst->example;
    bool hide_role = !m.role.empty() && now.shows_role(m.role);
    bool hide_unit = !m.unit.empty() && now.shows_unit(m.unit);
    std::string role = m.role, unit = m.unit;
    if (!hide_role && !hide_unit) {
      std::size_t smallest = std::numeric_limits<std::size_t>::max();
      for (const auto& r : now.roles) {
        if (role_size.at(r) < smallest)
          smallest = role_size.at(r), role = r, hide_role = true, hide_unit = false;
      }
      for (const auto& u : now.units) {
        if (unit_size.at(u) < smallest)
          smallest = unit_size.at(u), unit = u, hide_unit = true, hide_role = false;
      }
      if (!hide_role && !hide_unit) return;  // nothing shown: nothing more to hide
    }
    if (hide_role && (!hide_unit || role_size.at(role) <= unit_size.at(unit))) {
      now.roles.erase(role);
    } else {
      now.units.erase(unit);
    }
  }
}

bool safe(const std::vector<DisclosureMember>& members, const std::vector<ShownSegments>& shown,
          std::size_t k) {
  for (const auto& [key, atom] : atoms_of(members, shown)) {
    if (atom.size() < k) return false;
  }
  return true;
}

// Shows again, one at a time (roles, then units, in order), each segment
// of `all` that hiding took away and that can be shown beside the others
// with no atom below k. Hiding is greedy: a segment hidden early can be
// safe once others are hidden. Afterwards every hidden segment of k or
// more people is one whose showing would isolate a smaller group (showing
// more segments only splits atoms), which is what its reason says.
void show_what_is_safe(const std::vector<DisclosureMember>& members,
                       std::vector<ShownSegments>& shown, std::size_t k, const ShownSegments& all) {
  ShownSegments& now = shown.back();
  for (auto [segments, shown_now] :
       {std::pair{&all.roles, &now.roles}, std::pair{&all.units, &now.units}}) {
    for (const auto& value : *segments) {
      if (shown_now->contains(value)) continue;
      shown_now->insert(value);
      if (!safe(members, shown, k)) shown_now->erase(value);
    }
  }
}

// Who the people of one atom are: the unit or the role that is exactly
// them (the unit first); else no one is named. (Naming a unit or role
// they only share would say that fewer than k of its people sit in a
// shown cross of both, e.g. "1 or 2 of the managers in Sales answered".)
RevealedGroup describe_atom(const std::vector<DisclosureMember>& members,
                            const std::vector<ShownSegments>& shown, const std::string& key,
                            const std::map<std::string, std::size_t>& role_size,
                            const std::map<std::string, std::size_t>& unit_size) {
  std::set<std::string> roles, units;
  std::size_t people = 0;
  for (const auto& m : members) {
    if (!published_by(m, shown.size()) || signature(m, shown) != key) continue;
    roles.insert(m.role);
    units.insert(m.unit);
    ++people;
  }
  const auto exactly = [&](const std::set<std::string>& shared,
                           const std::map<std::string, std::size_t>& size) {
    if (shared.size() != 1) return false;
    const auto it = size.find(*shared.begin());
    return it != size.end() && it->second == people;
  };
  if (exactly(units, unit_size)) return {"unit", *units.begin()};
  if (exactly(roles, role_size)) return {"role", *roles.begin()};
  return {};
}

// Why each role and unit of the last release in `shown` that is not shown
// is hidden, decided after the fact so that it holds whichever way the
// segments were chosen: fewer than k counted people; otherwise the
// smallest group below k that showing it beside the shown ones would
// isolate (there is one: show_what_is_safe would have shown it otherwise).
void explain_hidden(const std::vector<DisclosureMember>& members, std::vector<ShownSegments>& shown,
                    std::size_t k) {
  ShownSegments& now = shown.back();
  std::map<std::string, Atom> roles, units;  // each segment's people, counted as an atom's
  // Everyone published, by role and by unit ("" for none), to name groups.
  std::map<std::string, std::size_t> role_size, unit_size;
  for (const auto& m : members) {
    if (!published_by(m, shown.size())) continue;
    ++role_size[m.role];
    ++unit_size[m.unit];
    for (auto [sizes, value] : {std::pair{&roles, &m.role}, std::pair{&units, &m.unit}}) {
      if (value->empty()) continue;
      Atom& a = (*sizes)[*value];
      ++a.total;
      a.supplied += m.supplied ? 1 : 0;
    }
  }
  const auto explain = [&](std::set<std::string>& shown_now, const std::string& value,
                           const Atom& size) {
    SegmentHidden hidden;
    if (size.size() < k) return hidden;
    hidden.reason = HiddenReason::reveals_smaller_group;
    shown_now.insert(value);
    const std::string* worst = nullptr;
    std::size_t smallest = k;
    const auto atoms = atoms_of(members, shown);
    for (const auto& [key, atom] : atoms) {
      if (atom.size() < smallest) smallest = atom.size(), worst = &key;
    }
    if (worst) hidden.reveals = describe_atom(members, shown, *worst, role_size, unit_size);
    shown_now.erase(value);
    return hidden;
  };
  for (const auto& [role, size] : roles) {
    if (!now.shows_role(role)) now.hidden_roles[role] = explain(now.roles, role, size);
  }
  for (const auto& [unit, size] : units) {
    if (!now.shows_unit(unit)) now.hidden_units[unit] = explain(now.units, unit, size);
  }
}

}  // namespace

std::vector<ShownSegments> shown_segments(const std::vector<DisclosureMember>& members,
                                          std::size_t release_count, std::size_t k) {
  std::vector<ShownSegments> shown;
  for (std::size_t release = 1; release <= release_count; ++release) {
    ShownSegments all;
    std::map<std::string, std::size_t> role_size, unit_size;
    for (const auto& m : members) {
      if (!published_by(m, release)) continue;
      if (!m.role.empty()) all.roles.insert(m.role), ++role_size[m.role];
      if (!m.unit.empty()) all.units.insert(m.unit), ++unit_size[m.unit];
    }
    // Three starts: both breakdowns, units only, roles only. Hiding from
    // both can end with less than one breakdown alone would keep; the start
    // that keeps the most segments wins (the earlier on a tie).
    ShownSegments units_only = all, roles_only = all;
    units_only.roles.clear();
    roles_only.units.clear();
    std::optional<ShownSegments> best;
    for (const ShownSegments& start : {all, units_only, roles_only}) {
      shown.push_back(start);
      hide_until_safe(members, shown, k, role_size, unit_size);
      show_what_is_safe(members, shown, k, all);
      const ShownSegments kept = std::move(shown.back());
      shown.pop_back();
      if (!best || kept.roles.size() + kept.units.size() > best->roles.size() + best->units.size())
        best = kept;
    }
    shown.push_back(std::move(*best));
    explain_hidden(members, shown, k);
  }
  return shown;
}

std::size_t smallest_atom(const std::vector<DisclosureMember>& members,
                          const std::vector<ShownSegments>& shown) {
  std::size_t smallest = 0;
  for (const auto& [key, atom] : atoms_of(members, shown)) {
    if (smallest == 0 || atom.size() < smallest) smallest = atom.size();
  }
  return smallest;
}

}  // namespace cxm::core
