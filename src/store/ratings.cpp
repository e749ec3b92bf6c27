// Customer-ratings datasets: provenance and the rows as CSV.
#include "store/store_impl.h"

namespace cxm::store {
namespace {

constexpr const char* kRatingsDatasetColumns =
    "SELECT id, name, source, citation, licence, published_on, synthetic, ratings, metrics, "
    "created_by, created_at FROM ratings_datasets ";

RatingsDataset ratings_dataset_from(const soci::row& row) {
  return RatingsDataset{as_text(row, 0),       as_text(row, 1),  as_text(row, 2),
                        as_text(row, 3),       as_text(row, 4),  as_text(row, 5),
                        as_int64(row, 6) != 0, as_int64(row, 7), id_list(as_text(row, 8)),
                        as_text(row, 9),       as_int64(row, 10)};
}

}  // namespace

void Store::create_ratings_dataset(const RatingsDataset& d, const std::string& ratings_csv,
                                   const AuditEntry& audit) {
  impl_->write([&](soci::session& sql) {
    const int synthetic = d.synthetic ? 1 : 0;
    const auto ratings = static_cast<long long>(d.ratings);
    const std::string metrics = id_list_text(d.metrics);
    const auto created_at = static_cast<long long>(d.created_at);
    sql << "INSERT INTO ratings_datasets (id, name, source, citation, licence, published_on, "
           "synthetic, ratings, metrics, created_by, created_at) VALUES (:id, :name, :source, "
           ":citation, :licence, :published, :synthetic, :ratings, :metrics, :by, :at)",
        soci::use(d.id), soci::use(d.name), soci::use(d.source), soci::use(d.citation),
        soci::use(d.licence), soci::use(d.published_on), soci::use(synthetic), soci::use(ratings),
        soci::use(metrics), soci::use(d.created_by), soci::use(created_at);
    sql << "INSERT INTO ratings_dataset_rows (dataset_id, ratings_csv) VALUES (:id, :csv)",
        soci::use(d.id), soci::use(ratings_csv);
    Impl::record_audit(sql, audit);
  });
}

std::vector<RatingsDataset> Store::ratings_datasets() {
  return impl_->read([&](soci::session& sql) {
    std::vector<RatingsDataset> out;
    soci::rowset<soci::row> rows =
        sql.prepare << std::string(kRatingsDatasetColumns) + "ORDER BY created_at DESC, id";
    for (const auto& row : rows) out.push_back(ratings_dataset_from(row));
    return out;
  });
}

std::optional<RatingsDataset> Store::find_ratings_dataset(const std::string& id) {
  return impl_->read([&](soci::session& sql) -> std::optional<RatingsDataset> {
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kRatingsDatasetColumns) + "WHERE id = :id", soci::use(id));
    std::optional<RatingsDataset> found;
    for (const auto& row : rows)
      found = ratings_dataset_from(row);  // read to the end (see fetch_one)
    return found;
  });
}

std::string Store::ratings_dataset_csv(const std::string& id) {
  return impl_->read([&](soci::session& sql) {
    std::string csv;
    soci::indicator indicator = soci::i_null;
    soci::statement st =
        (sql.prepare << "SELECT ratings_csv FROM ratings_dataset_rows WHERE dataset_id = :id",
         soci::use(id), soci::into(csv, indicator));
    fetch_one(st);
    return indicator == soci::i_ok ? csv : std::string();
  });
}

}  // namespace cxm::store
