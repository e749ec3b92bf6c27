#include "core/synthetic.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

namespace cxm::core {

Responses synthetic_responses(const Model& model, const SyntheticProfile& profile) {
  std::mt19937_64 random(profile.seed);
  std::normal_distribution<double> noise(0.0, profile.spread);
  std::uniform_real_distribution<double> unit_interval(0.0, 1.0);
  // Each competency sits a little above or below the group's maturity.
  std::vector<double> competency_offset(model.competencies.size());
  if (profile.character_seed != 0) {
    std::mt19937_64 character(profile.character_seed);
    std::normal_distribution<double> offsets(0.0, profile.spread);
    for (auto& offset : competency_offset) offset = offsets(character) * 0.6;
  } else {
    for (auto& offset : competency_offset) offset = noise(random) * 0.6;
  }

  Responses responses(model.items.size());
  const double mid = (model.scale.min + model.scale.max) / 2.0;
  const double half = (model.scale.max - model.scale.min) / 2.0;
  for (std::size_t r = 0; r < profile.respondents; ++r) {
    Respondent who{"s" + std::to_string(r + 1), "", ""};
    // Roles cross units: each unit has people of every role, as a real
    // organization does (not role i in unit i, which made the role and
    // unit tables the same people).
    const std::size_t units = std::max<std::size_t>(profile.units.size(), 1);
    const std::size_t role = model.roles.empty() ? 0 : (r / units) % model.roles.size();
    if (!model.roles.empty()) who.role = model.roles[role].id;
    if (!profile.units.empty()) who.unit = profile.units[r % units];
    // Executives (the first role) see things brighter; the third (frontline) darker.
    const double role_bias =
        model.roles.empty() ? 0.0 : (role == 0 ? 0.4 : (role == 2 ? -0.3 : 0.0));
    const double person = noise(random) * 0.5;
    const std::size_t row = responses.add(std::move(who));
    for (std::size_t i = 0; i < model.items.size(); ++i) {
      if (unit_interval(random) < profile.dont_know) continue;
      const Item& item = model.items[i];
      // Agreement falls as the item's stage rises above the group's maturity.
      const double distance =
          profile.maturity + competency_offset[item.competency] - item.stage + 0.5;
      const double centre = mid + half * std::tanh(distance);
      const double value = std::clamp(std::round(centre + role_bias + person + noise(random)),
                                      double(model.scale.min), double(model.scale.max));
      // A statement worded in reverse is disagreed with where the practice
      // is in place: the answer mirrored on the scale.
      const double answer = item.reverse ? model.scale.min + model.scale.max - value : value;
      responses.set(row, i, static_cast<std::int8_t>(answer));
    }
  }
  return responses;
}

}  // namespace cxm::core
