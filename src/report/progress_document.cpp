#include "report/progress_document.h"

#include <nlohmann/json.hpp>

namespace cxm::report {
namespace {

using nlohmann::json;

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json change_json(const core::ScoreChange& c) {
  const bool both = c.before.n > 0 && c.after.n > 0;
  return {{"before", c.before.n > 0 ? json(c.before.mean) : json(nullptr)},
          {"after", c.after.n > 0 ? json(c.after.mean) : json(nullptr)},
          {"change", both ? json(c.change.difference) : json(nullptr)},
          {"ci_low", optional_number(c.change.ci_low)},
          {"ci_high", optional_number(c.change.ci_high)},
          {"df", optional_number(c.change.df)},
          {"verdict", core::to_string(c.verdict)},
          {"n_before", c.before.n},
          {"n_after", c.after.n}};
}

json optional_stage(const std::optional<int>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace

json progress_json(const core::Model& later, const core::Progress& progress) {
  json competencies = json::array();
  for (const auto& c : progress.competencies) {
    json j = change_json(c.score);
    j["id"] = c.id;
    j["name"] = later.competencies[*later.find_competency(c.id)].name;
    competencies.push_back(j);
  }
  return {{"overall", change_json(progress.overall)},
          {"competencies", competencies},
          {"stage",
           {{"before", optional_stage(progress.stage_before)},
            {"after", optional_stage(progress.stage_after)}}},
          {"same_model", progress.same_model}};
}

}  // namespace cxm::report
