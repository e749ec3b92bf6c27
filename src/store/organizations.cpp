// Organizations, their units, and memberships.
#include "store/store_impl.h"

#include <algorithm>

namespace cxm::store {
namespace {

std::vector<Organization> organizations_from(soci::session& sql, soci::rowset<soci::row>& rows) {
  std::vector<Organization> out;
  for (const auto& row : rows) {
    out.push_back(Organization{as_text(row, 0), as_text(row, 1), as_text(row, 2), as_text(row, 3), {},
                               as_int64(row, 4) != 0, as_int64(row, 5)});
  }
  for (auto& org : out) {
    soci::rowset<soci::row> units =
        (sql.prepare << "SELECT name FROM units WHERE org_id = :id ORDER BY position", soci::use(org.id));
    for (const auto& unit : units) org.units.push_back(as_text(unit, 0));
  }
  return out;
}

constexpr const char* kOrgColumns =
    "SELECT o.id, o.name, o.industry, o.size_band, o.demo, o.created_at FROM organizations o ";

}  // namespace

void Store::create_organization(const Organization& org, const std::optional<Membership>& owner) {
  impl_->write([&](soci::session& sql) {
    const int demo = org.demo ? 1 : 0;
    sql << "INSERT INTO organizations (id, name, industry, size_band, demo, created_at) "
           "VALUES (:id, :name, :industry, :size, :demo, :created)",
        soci::use(org.id), soci::use(org.name), soci::use(org.industry), soci::use(org.size_band),
        soci::use(demo), soci::use(static_cast<long long>(org.created_at));
    for (std::size_t i = 0; i < org.units.size(); ++i) {
      const int position = static_cast<int>(i);
      sql << "INSERT INTO units (org_id, name, position) VALUES (:o, :n, :p)", soci::use(org.id),
          soci::use(org.units[i]), soci::use(position);
    }
    if (owner) {
      const std::string role(to_text(owner->role));
      sql << "INSERT INTO memberships (user_id, org_id, role) VALUES (:u, :o, :r)", soci::use(owner->user_id),
          soci::use(org.id), soci::use(role);
      // Another process may have cached "no membership" for this pair.
      impl_->announce(sql, ChangeKind::membership, owner->user_id + "|" + org.id);
    }
  });
}

std::optional<std::string> Store::update_organization(const Organization& org) {
  std::optional<std::string> refused;
  impl_->write([&](soci::session& sql) {
    refused.reset();
    soci::rowset<std::string> in_use =
        (sql.prepare << "SELECT DISTINCT p.unit FROM participants p JOIN cycles c ON c.id = p.cycle_id "
                        "WHERE c.org_id = :o AND p.unit <> ''",
         soci::use(org.id));
    for (const auto& unit : in_use) {
      if (std::find(org.units.begin(), org.units.end(), unit) == org.units.end()) {
        refused = "units: '" + unit + "' is in use by participant links and cannot be removed";
        return;
      }
    }
    sql << "UPDATE organizations SET name = :name, industry = :industry, size_band = :size WHERE id = :id",
        soci::use(org.name), soci::use(org.industry), soci::use(org.size_band), soci::use(org.id);
    sql << "DELETE FROM units WHERE org_id = :o", soci::use(org.id);
    for (std::size_t i = 0; i < org.units.size(); ++i) {
      const int position = static_cast<int>(i);
      sql << "INSERT INTO units (org_id, name, position) VALUES (:o, :n, :p)", soci::use(org.id),
          soci::use(org.units[i]), soci::use(position);
    }
    impl_->announce(sql, ChangeKind::organization, org.id);
  });
  return refused;
}

std::optional<Organization> Store::find_organization(const std::string& id) {
  return impl_->read([&](soci::session& sql) -> std::optional<Organization> {
    soci::rowset<soci::row> rows = (sql.prepare << std::string(kOrgColumns) + "WHERE o.id = :id", soci::use(id));
    auto orgs = organizations_from(sql, rows);
    if (orgs.empty()) return std::nullopt;
    return orgs.front();
  });
}

std::vector<Organization> Store::organizations_for(const User& user) {
  return impl_->read([&](soci::session& sql) {
    if (user.is_admin) {
      soci::rowset<soci::row> rows = (sql.prepare << std::string(kOrgColumns) + "ORDER BY o.name");
      return organizations_from(sql, rows);
    }
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kOrgColumns) +
                            "JOIN memberships m ON m.org_id = o.id WHERE m.user_id = :u ORDER BY o.name",
         soci::use(user.id));
    return organizations_from(sql, rows);
  });
}

std::optional<OrgRole> Store::membership_role(const std::string& user_id, const std::string& org_id) {
  return impl_->read([&](soci::session& sql) -> std::optional<OrgRole> {
    std::string role;
    soci::indicator indicator = soci::i_null;
    sql << "SELECT role FROM memberships WHERE user_id = :u AND org_id = :o", soci::use(user_id),
        soci::use(org_id), soci::into(role, indicator);
    if (!sql.got_data() || indicator != soci::i_ok) return std::nullopt;
    return org_role_from(role);
  });
}

void Store::add_membership(const Membership& membership) {
  impl_->write([&](soci::session& sql) {
    sql << "DELETE FROM memberships WHERE user_id = :u AND org_id = :o", soci::use(membership.user_id),
        soci::use(membership.org_id);
    const std::string role(to_text(membership.role));
    sql << "INSERT INTO memberships (user_id, org_id, role) VALUES (:u, :o, :r)", soci::use(membership.user_id),
        soci::use(membership.org_id), soci::use(role);
    impl_->announce(sql, ChangeKind::membership, membership.user_id + "|" + membership.org_id);
  });
}

}  // namespace cxm::store
