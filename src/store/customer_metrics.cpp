// Customer metrics (SPEC section 4.10): an organization's figures per
// metric, period and unit, and the definitions of its named ratings. An
// import is checked whole inside its write (units, scales) before anything
// is written, so it is stored all or nothing.
#include <algorithm>
#include <map>

#include "store/store_impl.h"

namespace cxm::store {

MetricsImport Store::import_customer_metrics(const std::string& org_id,
                                             const std::vector<core::MetricDefinition>& named,
                                             const std::vector<core::CustomerFigure>& figures,
                                             const AuditEntry& audit) {
  MetricsImport result;
  impl_->write([&](soci::session& sql) {
    result = MetricsImport{};
    int found = 0;
    sql << "SELECT COUNT(*) FROM organizations WHERE id = :o", soci::use(org_id), soci::into(found);
    if (found == 0) return;
    soci::rowset<std::string> unit_rows =
        (sql.prepare << "SELECT name FROM units WHERE org_id = :o", soci::use(org_id));
    const std::vector<std::string> units(unit_rows.begin(), unit_rows.end());
    for (std::size_t i = 0; i < figures.size(); ++i) {
      const auto& unit = figures[i].unit;
      if (!unit.empty() && std::find(units.begin(), units.end(), unit) == units.end()) {
        result = MetricsImport{MetricsImportOutcome::unknown_unit, 0, 0, i, unit};
        return;
      }
    }
    std::map<std::string, std::pair<double, double>> scales;
    soci::rowset<soci::row> stored =
        (sql.prepare << "SELECT metric, scale_min, scale_max FROM customer_metric_definitions "
                        "WHERE org_id = :o",
         soci::use(org_id));
    for (const auto& row : stored) scales[as_text(row, 0)] = {as_double(row, 1), as_double(row, 2)};
    for (std::size_t i = 0; i < named.size(); ++i) {
      const auto it = scales.find(named[i].id);
      if (it != scales.end() &&
          (it->second.first != named[i].scale_min || it->second.second != named[i].scale_max)) {
        result = MetricsImport{MetricsImportOutcome::scale_changed, 0, 0, i, named[i].id};
        return;
      }
    }
    // Everything checked: write.
    for (const auto& d : named) {
      sql << "DELETE FROM customer_metric_definitions WHERE org_id = :o AND metric = :m",
          soci::use(org_id), soci::use(d.id);
      sql << "INSERT INTO customer_metric_definitions (org_id, metric, name, definition, "
             "scale_min, scale_max) VALUES (:o, :m, :n, :d, :lo, :hi)",
          soci::use(org_id), soci::use(d.id), soci::use(d.name), soci::use(d.definition),
          soci::use(d.scale_min), soci::use(d.scale_max);
    }
    for (const auto& f : figures) {
      int there = 0;
      sql << "SELECT COUNT(*) FROM customer_metrics WHERE org_id = :o AND metric = :m AND period "
             "= :p AND unit = :u",
          soci::use(org_id), soci::use(f.metric), soci::use(f.period), soci::use(f.unit),
          soci::into(there);
      if (there != 0) {
        sql << "DELETE FROM customer_metrics WHERE org_id = :o AND metric = :m AND period = :p "
               "AND unit = :u",
            soci::use(org_id), soci::use(f.metric), soci::use(f.period), soci::use(f.unit);
        ++result.replaced;
      } else {
        ++result.added;
      }
      const long long respondents = f.respondents;
      const int synthetic = f.synthetic ? 1 : 0;
      sql << "INSERT INTO customer_metrics (org_id, metric, period, unit, value, respondents, "
             "source, synthetic) VALUES (:o, :m, :p, :u, :v, :n, :s, :y)",
          soci::use(org_id), soci::use(f.metric), soci::use(f.period), soci::use(f.unit),
          soci::use(f.value), soci::use(respondents), soci::use(f.source), soci::use(synthetic);
    }
    invalidate_reports(*impl_, sql, org_id);
    Impl::record_audit(sql, audit);
    result.outcome = MetricsImportOutcome::imported;
  });
  return result;
}

CustomerMetrics Store::customer_metrics_of(const std::string& org_id) {
  return impl_->read([&](soci::session& sql) {
    CustomerMetrics out;
    soci::rowset<soci::row> definitions =
        (sql.prepare << "SELECT metric, name, definition, scale_min, scale_max FROM "
                        "customer_metric_definitions WHERE org_id = :o ORDER BY metric",
         soci::use(org_id));
    for (const auto& row : definitions) {
      out.named.push_back(core::MetricDefinition{as_text(row, 0), as_text(row, 1), as_text(row, 2),
                                                 as_double(row, 3), as_double(row, 4), false});
    }
    soci::rowset<soci::row> figures =
        (sql.prepare << "SELECT metric, period, unit, value, respondents, source, synthetic FROM "
                        "customer_metrics WHERE org_id = :o ORDER BY metric, unit, period",
         soci::use(org_id));
    for (const auto& row : figures) {
      out.figures.push_back(core::CustomerFigure{as_text(row, 0), as_text(row, 1), as_text(row, 2),
                                                 as_double(row, 3), as_int64(row, 4),
                                                 as_text(row, 5), as_int64(row, 6) != 0});
    }
    return out;
  });
}

std::size_t Store::delete_customer_metric(const std::string& org_id, const std::string& metric,
                                          const AuditEntry& audit) {
  std::size_t deleted = 0;
  impl_->write([&](soci::session& sql) {
    int count = 0;
    sql << "SELECT COUNT(*) FROM customer_metrics WHERE org_id = :o AND metric = :m",
        soci::use(org_id), soci::use(metric), soci::into(count);
    deleted = static_cast<std::size_t>(count);
    sql << "DELETE FROM customer_metrics WHERE org_id = :o AND metric = :m", soci::use(org_id),
        soci::use(metric);
    sql << "DELETE FROM customer_metric_definitions WHERE org_id = :o AND metric = :m",
        soci::use(org_id), soci::use(metric);
    if (count == 0) return;  // nothing changed, nothing to record
    invalidate_reports(*impl_, sql, org_id);
    Impl::record_audit(sql, audit);
  });
  return deleted;
}

}  // namespace cxm::store
