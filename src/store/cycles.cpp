// Assessment cycles.
#include "store/store_impl.h"

namespace cxm::store {
namespace {

// The model snapshot is large and immutable: rows are read without it, and
// cycle_model_yaml() fetches it when a process first needs it.
constexpr const char* kCycleColumns =
    "SELECT id, org_id, name, status, '', anonymous, min_group_size, opens_at, closes_at, created_at, "
    "answers_version FROM cycles ";

Cycle cycle_from(const soci::row& row) {
  return Cycle{as_text(row, 0),
               as_text(row, 1),
               as_text(row, 2),
               as_text(row, 3),
               as_text(row, 4),
               as_int64(row, 5) != 0,
               static_cast<int>(as_int64(row, 6)),
               as_optional_int64(row, 7),
               as_optional_int64(row, 8),
               as_int64(row, 9),
               as_int64(row, 10)};
}

// SOCI binds an optional time as a value with a null indicator.
struct OptionalTime {
  long long value = 0;
  soci::indicator indicator = soci::i_null;
  explicit OptionalTime(const std::optional<std::int64_t>& t)
      : value(t.value_or(0)), indicator(t ? soci::i_ok : soci::i_null) {}
};

}  // namespace

void Store::create_cycle(const Cycle& c) {
  impl_->write([&](soci::session& sql) {
    const int anonymous = c.anonymous ? 1 : 0;
    OptionalTime opens(c.opens_at), closes(c.closes_at);
    sql << "INSERT INTO cycles (id, org_id, name, status, model_yaml, anonymous, min_group_size, opens_at, "
           "closes_at, created_at) VALUES (:id, :org, :name, :status, :model, :anon, :min, :opens, :closes, "
           ":created)",
        soci::use(c.id), soci::use(c.org_id), soci::use(c.name), soci::use(c.status), soci::use(c.model_yaml),
        soci::use(anonymous), soci::use(c.min_group_size), soci::use(opens.value, opens.indicator),
        soci::use(closes.value, closes.indicator), soci::use(static_cast<long long>(c.created_at));
  });
}

std::optional<Cycle> Store::find_cycle(const std::string& id) {
  return impl_->read([&](soci::session& sql) -> std::optional<Cycle> {
    soci::rowset<soci::row> rows = (sql.prepare << std::string(kCycleColumns) + "WHERE id = :id", soci::use(id));
    for (const auto& row : rows) return cycle_from(row);
    return std::nullopt;
  });
}

std::vector<Cycle> Store::cycles_of(const std::string& org_id) {
  return impl_->read([&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kCycleColumns) + "WHERE org_id = :o ORDER BY created_at", soci::use(org_id));
    std::vector<Cycle> out;
    for (const auto& row : rows) out.push_back(cycle_from(row));
    return out;
  });
}

std::string Store::cycle_model_yaml(const std::string& id) {
  return impl_->read([&](soci::session& sql) {
    std::string yaml;
    sql << "SELECT model_yaml FROM cycles WHERE id = :id", soci::use(id), soci::into(yaml);
    return yaml;
  });
}

void Store::update_cycle(const Cycle& c) {
  impl_->write([&](soci::session& sql) {
    const int anonymous = c.anonymous ? 1 : 0;
    OptionalTime opens(c.opens_at), closes(c.closes_at);
    sql << "UPDATE cycles SET name = :name, status = :status, anonymous = :anon, min_group_size = :min, "
           "opens_at = :opens, closes_at = :closes WHERE id = :id",
        soci::use(c.name), soci::use(c.status), soci::use(anonymous), soci::use(c.min_group_size),
        soci::use(opens.value, opens.indicator), soci::use(closes.value, closes.indicator), soci::use(c.id);
  });
}

}  // namespace cxm::store
