// Benchmark datasets: provenance and the PEERS.csv text.
#include "store/store_impl.h"

namespace cxm::store {
namespace {

constexpr const char* kBenchmarkDatasetColumns =
    "SELECT id, name, source, citation, licence, published_on, synthetic, assessments, "
    "competency_ids, "
    "created_by, created_at FROM benchmark_datasets ";

BenchmarkDataset benchmark_dataset_from(const soci::row& row) {
  return BenchmarkDataset{as_text(row, 0),       as_text(row, 1),  as_text(row, 2),
                          as_text(row, 3),       as_text(row, 4),  as_text(row, 5),
                          as_int64(row, 6) != 0, as_int64(row, 7), id_list(as_text(row, 8)),
                          as_text(row, 9),       as_int64(row, 10)};
}

}  // namespace

std::string id_list_text(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

std::vector<std::string> id_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (!text.empty() && start <= text.size()) {
    const auto comma = text.find(',', start);
    out.push_back(
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

void Store::create_benchmark_dataset(const BenchmarkDataset& d, const std::string& peers_csv,
                                     const AuditEntry& audit) {
  impl_->write([&](soci::session& sql) {
    const int synthetic = d.synthetic ? 1 : 0;
    const auto assessments = static_cast<long long>(d.assessments);
    const std::string competencies = id_list_text(d.competency_ids);
    const auto created_at = static_cast<long long>(d.created_at);
    sql << "INSERT INTO benchmark_datasets (id, name, source, citation, licence, published_on, "
           "synthetic, "
           "assessments, competency_ids, created_by, created_at) VALUES (:id, :name, :source, "
           ":citation, :licence, :published, :synthetic, :assessments, :competencies, :by, :at)",
        soci::use(d.id), soci::use(d.name), soci::use(d.source), soci::use(d.citation),
        soci::use(d.licence), soci::use(d.published_on), soci::use(synthetic),
        soci::use(assessments), soci::use(competencies), soci::use(d.created_by),
        soci::use(created_at);
    sql << "INSERT INTO benchmark_dataset_rows (dataset_id, peers_csv) VALUES (:id, :csv)",
        soci::use(d.id), soci::use(peers_csv);
    Impl::record_audit(sql, audit);
  });
}

std::vector<BenchmarkDataset> Store::benchmark_datasets() {
  return impl_->read([&](soci::session& sql) {
    std::vector<BenchmarkDataset> out;
    soci::rowset<soci::row> rows =
        sql.prepare << std::string(kBenchmarkDatasetColumns) + "ORDER BY created_at DESC, id";
    for (const auto& row : rows) out.push_back(benchmark_dataset_from(row));
    return out;
  });
}

std::optional<BenchmarkDataset> Store::find_benchmark_dataset(const std::string& id) {
  return impl_->read([&](soci::session& sql) -> std::optional<BenchmarkDataset> {
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kBenchmarkDatasetColumns) + "WHERE id = :id", soci::use(id));
    std::optional<BenchmarkDataset> found;
    for (const auto& row : rows)
      found = benchmark_dataset_from(row);  // read to the end (see fetch_one)
    return found;
  });
}

std::string Store::benchmark_dataset_csv(const std::string& id) {
  return impl_->read([&](soci::session& sql) {
    std::string csv;
    soci::indicator indicator = soci::i_null;
    soci::statement st =
        (sql.prepare << "SELECT peers_csv FROM benchmark_dataset_rows WHERE dataset_id = :id",
         soci::use(id), soci::into(csv, indicator));
    fetch_one(st);
    return indicator == soci::i_ok ? csv : std::string();
  });
}

void Store::set_benchmark_pool_member(const std::string& org_id, bool member, std::int64_t now,
                                      const AuditEntry& audit) {
  impl_->write([&](soci::session& sql) {
    if (!member) {
      sql << "DELETE FROM benchmark_pool WHERE org_id = :o", soci::use(org_id);
      Impl::record_audit(sql, audit);
      return;
    }
    // Another process may join the same organization at the same moment.
    const auto joined = static_cast<long long>(now);
    sql << "INSERT INTO benchmark_pool (org_id, joined_at) VALUES (:o, :t) ON CONFLICT (org_id) DO "
           "NOTHING",
        soci::use(org_id), soci::use(joined);
    Impl::record_audit(sql, audit);
  });
}

std::optional<std::int64_t> Store::benchmark_pool_joined_at(const std::string& org_id) {
  return impl_->read([&](soci::session& sql) -> std::optional<std::int64_t> {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT joined_at FROM benchmark_pool WHERE org_id = :o",
         soci::use(org_id));
    std::optional<std::int64_t> joined;
    for (const auto& row : rows) joined = as_int64(row, 0);
    return joined;
  });
}

std::vector<std::string> Store::benchmark_pool_members() {
  return impl_->read([&](soci::session& sql) {
    std::vector<std::string> out;
    soci::rowset<std::string> rows = sql.prepare
                                     << "SELECT org_id FROM benchmark_pool ORDER BY org_id";
    for (const auto& id : rows) out.push_back(id);
    return out;
  });
}

}  // namespace cxm::store
