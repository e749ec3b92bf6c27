#include "results/outside_in.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "core/calendar.h"
#include "report/report_text.h"
#include "results/customer_metrics.h"
#include "results/cycle_cache.h"
#include "results/published_result.h"

namespace cxm::results {
namespace {

using nlohmann::json;

constexpr const char* kNoFigure = "no customer figure for this cycle's period";

core::Day day_of(std::int64_t ms) { return core::parse_iso_date(core::utc_date(ms)).value_or(0); }

json unit_json(const std::string& unit) { return unit.empty() ? json(nullptr) : json(unit); }

// The units with any figure of `metric`: the whole organization ("") first,
// then units by name.
std::vector<std::string> units_of(const store::CustomerMetrics& metrics,
                                  const std::string& metric) {
  std::set<std::string> units;
  for (const auto& f : metrics.figures) {
    if (f.metric == metric) units.insert(f.unit);
  }
  return {units.begin(), units.end()};  // "" sorts first
}

// Why the delivery gap has no own view at all, or null.
json no_own_view_reason(const core::Model& model, const core::Model& whole) {
  if (!core::customer_statements(model).empty()) return nullptr;
  if (!core::customer_statements(whole).empty())
    return "every statement customers can feel is out of scope for this organization";
  if (model.form == core::Form::pulse)
    return "this pulse check asks none of the statements customers can feel";
  return "the model this cycle ran with (" + whole.id + " " + whole.version +
         ") marks no statements customers can feel";
}

bool has_results(store::Store& store, const store::Cycle& cycle) {
  for (const auto& p : store.participants_of(cycle.id)) {
    if (!p.revoked && p.submitted_at && (!cycle.anonymous || p.released_in)) return true;
  }
  return false;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

core::CycleDays cycle_days(const store::Cycle& cycle, std::int64_t now) {
  const std::int64_t first = cycle.opens_at.value_or(cycle.created_at);
  const std::int64_t last = cycle.closed_at ? *cycle.closed_at : cycle.closes_at.value_or(now);
  return {day_of(first), day_of(last)};
}

json report_outside_in(const store::CustomerMetrics& metrics, const core::Model& model,
                       const core::Model& whole, const core::CycleResult& result,
                       const std::vector<std::pair<std::string, std::string>>& unit_reasons,
                       const core::CycleDays& days, const std::optional<PreviousCycle>& previous) {
  if (metrics.figures.empty()) return nullptr;
  const std::size_t k = result.min_group_size;
  json statements = json::array();
  for (std::size_t i : core::customer_statements(model)) statements.push_back(model.items[i].id);
  const json own_reason = no_own_view_reason(model, whole);

  // The own view of everyone and of each unit the report shows.
  struct Own {
    core::OwnView view;
    std::size_t respondents = 0;
  };
  std::vector<std::pair<std::string, Own>> own;
  if (own_reason.is_null()) {
    own.push_back({"", {core::own_view(model, result.group, k), result.group.respondents}});
    for (const auto& u : result.units) {
      if (u.suppressed || !u.result) continue;
      own.push_back({u.value, {core::own_view(model, *u.result, k), u.respondents}});
    }
  }
  auto own_of = [&](const std::string& unit) -> const Own* {
    for (const auto& [name, o] : own) {
      if (name == unit) return &o;
    }
    return nullptr;
  };
  auto hidden_reason = [&](const std::string& unit) -> std::string {
    for (const auto& [name, reason] : unit_reasons) {
      if (name == unit) return "not shown in this cycle's report: " + reason;
    }
    return "nobody from this unit is among this cycle's published respondents";
  };

  json out_metrics = json::array();
  json rows = json::array();
  json hidden = json::array();
  const std::string window_from =
      core::format_iso_date(core::months_before(days.first, core::kFigureLookbackMonths));
  for (const json& m : customer_metrics_json(metrics)) {
    const std::string id = m["metric"].get<std::string>();
    const auto definition = metric_definition(metrics, id);
    if (!definition) continue;
    json figures = json::array();
    json missing = json::array();
    for (const std::string& unit : units_of(metrics, id)) {
      const auto at = core::figure_for_cycle(metrics.figures, id, unit, days);
      if (!at) {
        missing.push_back({{"unit", unit_json(unit)}, {"reason", kNoFigure}});
        continue;
      }
      const core::CustomerFigure& f = metrics.figures[*at];
      json change = nullptr;
      json change_note = nullptr;
      if (!previous) {
        change_note = "no earlier full cycle with results to compare with";
      } else if (const auto before =
                     core::figure_for_cycle(metrics.figures, id, unit, previous->days)) {
        const core::CustomerFigure& b = metrics.figures[*before];
        if (b.period == f.period) {
          change_note = "the same figure (" + f.period + ") as for " + previous->name;
        } else {
          change = {{"since_cycle", previous->name},
                    {"since_period", b.period},
                    {"before", b.value},
                    {"change", f.value - b.value}};
        }
      } else {
        change_note = std::string("no customer figure for the period of ") + previous->name;
      }
      figures.push_back({{"unit", unit_json(unit)},
                         {"period", f.period},
                         {"value", f.value},
                         {"normalized", core::normalized_metric(*definition, f.value)},
                         {"respondents", f.respondents},
                         {"source", f.source},
                         {"synthetic", f.synthetic},
                         {"change", change},
                         {"change_note", change_note}});
      // The delivery gap: everyone, and each unit the report shows.
      if (!own_reason.is_null()) continue;
      const Own* o = own_of(unit);
      if (!o) {
        hidden.push_back(
            {{"metric", id}, {"unit", unit_json(unit)}, {"reason", hidden_reason(unit)}});
        continue;
      }
      const double customers = core::normalized_metric(*definition, f.value);
      rows.push_back(
          {{"metric", id},
           {"unit", unit_json(unit)},
           {"period", f.period},
           {"own", o->view.score ? json(*o->view.score) : json(nullptr)},
           {"own_statements", o->view.counted},
           {"own_respondents", o->respondents},
           {"customers", customers},
           {"customer_value", f.value},
           {"customer_respondents", f.respondents},
           {"gap", o->view.score ? json(*o->view.score - customers) : json(nullptr)},
           {"reason", o->view.score ? json(nullptr)
                                    : json("too few answers to the statements customers can "
                                           "feel for any of them to count (the evidence rule)")}});
    }
    out_metrics.push_back({{"metric", id},
                           {"name", m["name"]},
                           {"definition", m["definition"]},
                           {"scale", m["scale"]},
                           {"builtin", m["builtin"]},
                           {"synthetic", m["synthetic"]},
                           {"reason", figures.empty() ? json(kNoFigure) : json(nullptr)},
                           {"figures", std::move(figures)},
                           {"missing", std::move(missing)}});
  }
  return {{"caveat", report::tr("outside_in.caveat")},
          {"period",
           {{"first", core::format_iso_date(days.first)},
            {"last", core::format_iso_date(days.last)},
            {"figures_from", window_from}}},
          {"metrics", std::move(out_metrics)},
          {"delivery_gap",
           {{"statements", std::move(statements)},
            {"reason", own_reason},
            {"rows", std::move(rows)},
            {"hidden", std::move(hidden)}}}};
}

json cycle_outside_in(Results& results, const store::Cycle& cycle, const core::Model& model,
                      const core::Model& whole, const core::CycleResult& result,
                      const json& unit_segments) {
  const store::CustomerMetrics metrics = results.store.customer_metrics_of(cycle.org_id);
  if (metrics.figures.empty()) return nullptr;
  const std::int64_t now = now_ms();
  // The organization's previous full cycle with results, as the change
  // since the previous cycle compares.
  std::optional<PreviousCycle> previous;
  for (const auto& c : results.store.cycles_of(cycle.org_id)) {
    if (c.id == cycle.id) break;
    if (c.status == store::CycleStatus::draft || c.pulse) continue;
    if (has_results(results.store, c)) previous = PreviousCycle{c.name, cycle_days(c, now)};
  }
  std::vector<std::pair<std::string, std::string>> reasons;
  if (unit_segments.is_array()) {
    for (const auto& s : unit_segments) {
      if (s.value("suppressed", false))
        reasons.emplace_back(s.value("value", ""), s.value("reason", ""));
    }
  }
  return report_outside_in(metrics, model, whole, result, reasons, cycle_days(cycle, now),
                           previous);
}

json progress_outside_in(const store::CustomerMetrics& metrics,
                         const std::vector<MaturityPoint>& points) {
  json maturity = json::array();
  for (const auto& p : points) {
    maturity.push_back({{"cycle", p.cycle},
                        {"cycle_name", p.cycle_name},
                        {"unit", unit_json(p.unit)},
                        {"score", p.score},
                        {"first", core::format_iso_date(p.days.first)},
                        {"last", core::format_iso_date(p.days.last)}});
  }
  json correlations = json::array();
  for (const json& m : customer_metrics_json(metrics)) {
    const std::string id = m["metric"].get<std::string>();
    std::vector<double> x, y;
    json pairs = json::array();
    for (const auto& p : points) {
      const auto at = core::figure_for_cycle(metrics.figures, id, p.unit, p.days);
      if (!at) continue;
      const core::CustomerFigure& f = metrics.figures[*at];
      x.push_back(p.score);
      y.push_back(f.value);
      pairs.push_back({{"cycle", p.cycle},
                       {"cycle_name", p.cycle_name},
                       {"period", f.period},
                       {"unit", unit_json(p.unit)},
                       {"maturity", p.score},
                       {"customer", f.value}});
    }
    const core::Correlation c = core::correlate(x, y);
    correlations.push_back({{"metric", id},
                            {"name", m["name"]},
                            {"n", c.n},
                            {"rho", c.rho ? json(*c.rho) : json(nullptr)},
                            {"min_pairs", core::kMinCorrelationPairs},
                            {"caution", core::correlation_caution()},
                            {"reason", c.rho ? json(nullptr) : json(c.reason)},
                            {"pairs", std::move(pairs)}});
  }
  return {{"maturity", std::move(maturity)}, {"correlations", std::move(correlations)}};
}

}  // namespace cxm::results
