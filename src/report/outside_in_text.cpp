#include "report/outside_in_text.h"

#include <cmath>

#include "report/number_text.h"
#include "report/report_text.h"

namespace cxm::report {

std::string outside_in_group(const std::string& unit) {
  return unit.empty() ? tr("oi.whole") : unit;
}

std::string metric_value_text(double value) {
  return decimal_text(value, std::fabs(value - std::round(value)) < 1e-9 ? 0 : 1);
}

std::string outside_in_period_sentence(const ScoreDocument::OutsideIn& s) {
  std::string out = tr("oi.period", {{"first", s.first_day}, {"last", s.last_day}});
  if (!s.figures_from.empty()) out += tr("oi.period_from", {{"from", s.figures_from}});
  return out + ".";
}

std::string figure_change_text(const ScoreDocument::OutsideInFigure& f) {
  if (f.change) {
    const std::string sign = *f.change > 0 ? "+" : "";
    return tr("html.oi.change",
              {{"change", sign + metric_value_text(*f.change)}, {"period", f.since_period}}) +
           (f.since_cycle.empty() ? "" : " (" + f.since_cycle + ")");
  }
  return f.change_note.empty() ? "–" : f.change_note;
}

std::string gap_text(const ScoreDocument::DeliveryGapRow& row) {
  if (!row.gap) return row.reason.empty() ? "–" : row.reason;
  const double g = *row.gap;
  const std::string points = fixed_decimals(std::fabs(g), 0);
  if (points == "0") return tr("oi.gap_level");
  return tr(points == "1" ? (g > 0 ? "oi.gap_above_one" : "oi.gap_below_one")
                          : (g > 0 ? "oi.gap_above" : "oi.gap_below"),
            {{"points", points}});
}

std::string delivery_gap_explanation(const ScoreDocument::OutsideIn& s) {
  return tr("oi.explanation", {{"n", std::to_string(s.statements.size())}});
}

std::string outside_in_metric_name(const ScoreDocument::OutsideIn& s, const std::string& metric) {
  for (const auto& m : s.metrics) {
    if (m.metric == metric) return m.name;
  }
  return metric;
}

}  // namespace cxm::report
