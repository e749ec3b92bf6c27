#include "report/outside_in_text.h"

#include <cmath>

#include "report/number_text.h"

namespace cxm::report {

std::string outside_in_group(const std::string& unit) {
  return unit.empty() ? "Whole organization" : unit;
}

std::string metric_value_text(double value) {
  return fixed_decimals(value, std::fabs(value - std::round(value)) < 1e-9 ? 0 : 1);
}

std::string outside_in_period_sentence(const ScoreDocument::OutsideIn& s) {
  std::string out = "The customers' figures for this assessment's period (" + s.first_day + " to " +
                    s.last_day + "): per metric and unit, the latest figure whose period " +
                    "began by " + s.last_day;
  if (!s.figures_from.empty()) out += " and ended on or after " + s.figures_from;
  return out + ".";
}

std::string figure_change_text(const ScoreDocument::OutsideInFigure& f) {
  if (f.change) {
    const std::string sign = *f.change > 0 ? "+" : "";
    return sign + metric_value_text(*f.change) + " since " + f.since_period +
           (f.since_cycle.empty() ? "" : " (" + f.since_cycle + ")");
  }
  return f.change_note.empty() ? "–" : f.change_note;
}

std::string gap_text(const ScoreDocument::DeliveryGapRow& row) {
  if (!row.gap) return row.reason.empty() ? "–" : row.reason;
  const double g = *row.gap;
  const std::string points = fixed_decimals(std::fabs(g), 0);
  if (points == "0") return "level with the customers' figure";
  return points + (points == "1" ? " point " : " points ") + (g > 0 ? "above" : "below") +
         " the customers' figure";
}

std::string delivery_gap_explanation(const ScoreDocument::OutsideIn& s) {
  return "The delivery gap sets the organization's own view of what customers feel (the mean "
         "score, 0 to 100, of the " +
         std::to_string(s.statements.size()) +
         " statements customers can feel, from this assessment's published answers) beside the "
         "customers' figure on the same 0 to 100 range (its place between the scale's lowest "
         "and highest value). A positive gap: the organization thinks better of itself than its "
         "customers do.";
}

std::string outside_in_metric_name(const ScoreDocument::OutsideIn& s, const std::string& metric) {
  for (const auto& m : s.metrics) {
    if (m.metric == metric) return m.name;
  }
  return metric;
}

}  // namespace cxm::report
