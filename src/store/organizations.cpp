// Organizations, their units, and memberships.
#include <algorithm>
#include <cstring>
#include <map>

#include "store/store_impl.h"

namespace cxm::store {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// A logo's bytes as the base64 text the column keeps (RFC 4648, padded).
std::string base64_encode(const std::string& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 2]);
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kBase64[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kBase64[v & 63] : '=';
  }
  return out;
}

// The bytes of base64 text written by base64_encode; nullopt when it is not.
std::optional<std::string> base64_decode(const std::string& text) {
  std::string out;
  unsigned v = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const char* at = std::strchr(kBase64, c);
    if (c == 0 || at == nullptr) return std::nullopt;
    v = (v << 6) | static_cast<unsigned>(at - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xFF);
    }
  }
  return out;
}

// Rows of kOrgColumns, with their units read by `units` (org_id, name in
// position order) in one query for the whole list.
std::vector<Organization> organizations_from(soci::rowset<soci::row>& rows,
                                             soci::rowset<soci::row>& units) {
  std::vector<Organization> out;
  std::map<std::string, std::size_t> by_id;
  for (const auto& row : rows) {
    Organization org{as_text(row, 0),       as_text(row, 1), as_text(row, 2), as_text(row, 3), {},
                     as_int64(row, 4) != 0, as_int64(row, 5)};
    org.review_interval_months = static_cast<int>(as_int64(row, 6));
    org.stage_rollup = stage_rollup_from(as_text(row, 7)).value_or(StageRollup::pooled);
    org.consultant = as_text(row, 8);
    org.confidentiality = as_text(row, 9);
    org.logo_type = as_text(row, 10);
    org.logo_updated_at = as_int64(row, 11);
    by_id.emplace(org.id, out.size());
    out.push_back(std::move(org));
  }
  for (const auto& unit : units) {
    if (const auto it = by_id.find(as_text(unit, 0)); it != by_id.end())
      out[it->second].units.push_back(as_text(unit, 1));
  }
  return out;
}

constexpr const char* kOrgColumns =
    "SELECT o.id, o.name, o.industry, o.size_band, o.demo, o.created_at, o.review_interval_months, "
    "o.stage_rollup, o.consultant, o.confidentiality, o.logo_type, o.logo_updated_at "
    "FROM organizations o ";
constexpr const char* kUnitColumns = "SELECT u.org_id, u.name FROM units u ";
// The organizations a user sees: every one for an admin.
constexpr const char* kMemberOrgs = "JOIN memberships m ON m.org_id = o.id WHERE m.user_id = :u ";

}  // namespace

// Inside a write that changes what the organization's reports say (its
// roll-up rule, targets, scope or customer metrics): each of its cycles' answers_version
// moves and the cycle is announced, so every process's cached report of
// it misses and is computed again.
void invalidate_reports(const Store::Impl& impl, soci::session& sql, const std::string& org_id) {
  sql << "UPDATE cycles SET answers_version = answers_version + 1 WHERE org_id = :o",
      soci::use(org_id);
  soci::rowset<std::string> ids =
      (sql.prepare << "SELECT id FROM cycles WHERE org_id = :o", soci::use(org_id));
  std::vector<std::string> cycles(ids.begin(), ids.end());
  for (const auto& id : cycles) impl.announce(sql, ChangeKind::cycle, id);
}

void Store::create_organization(const Organization& org, const std::optional<Membership>& owner,
                                const AuditEntry& audit) {
  impl_->write([&](soci::session& sql) {
    const int demo = org.demo ? 1 : 0;
    const std::string rollup(to_text(org.stage_rollup));
    sql << "INSERT INTO organizations (id, name, industry, size_band, demo, created_at, "
           "review_interval_months, "
           "stage_rollup, consultant, confidentiality) VALUES (:id, :name, :industry, :size, "
           ":demo, :created, :months, :rollup, :consultant, :confidentiality)",
        soci::use(org.id), soci::use(org.name), soci::use(org.industry), soci::use(org.size_band),
        soci::use(demo), soci::use(static_cast<long long>(org.created_at)),
        soci::use(org.review_interval_months), soci::use(rollup), soci::use(org.consultant),
        soci::use(org.confidentiality);
    for (std::size_t i = 0; i < org.units.size(); ++i) {
      const int position = static_cast<int>(i);
      sql << "INSERT INTO units (org_id, name, position) VALUES (:o, :n, :p)", soci::use(org.id),
          soci::use(org.units[i]), soci::use(position);
    }
    if (owner) {
      const std::string role(to_text(owner->role));
      sql << "INSERT INTO memberships (user_id, org_id, role) VALUES (:u, :o, :r)",
          soci::use(owner->user_id), soci::use(org.id), soci::use(role);
      // Another process may have cached "no membership" for this pair.
      impl_->announce(sql, ChangeKind::membership, owner->user_id + "|" + org.id);
    }
    Impl::record_audit(sql, audit);
  });
}

std::optional<std::string> Store::update_organization(const Organization& org,
                                                      const AuditEntry& audit) {
  std::optional<std::string> refused;
  impl_->write([&](soci::session& sql) {
    refused.reset();
    soci::rowset<std::string> in_use =
        (sql.prepare
             << "SELECT DISTINCT p.unit FROM participants p JOIN cycles c ON c.id = p.cycle_id "
                "WHERE c.org_id = :o AND p.unit <> ''",
         soci::use(org.id));
    for (const auto& unit : in_use) {
      if (std::find(org.units.begin(), org.units.end(), unit) == org.units.end()) {
        refused = "units: '" + unit + "' is in use by participant links and cannot be removed";
        return;
      }
    }
    soci::rowset<std::string> measured =
        (sql.prepare
             << "SELECT DISTINCT unit FROM customer_metrics WHERE org_id = :o AND unit <> ''",
         soci::use(org.id));
    for (const auto& unit : measured) {
      if (std::find(org.units.begin(), org.units.end(), unit) == org.units.end()) {
        refused = "units: '" + unit + "' has customer metrics and cannot be removed";
        return;
      }
    }
    std::string rollup_before;
    sql << "SELECT stage_rollup FROM organizations WHERE id = :id", soci::use(org.id),
        soci::into(rollup_before);
    const std::string rollup(to_text(org.stage_rollup));
    sql << "UPDATE organizations SET name = :name, industry = :industry, size_band = :size, "
           "review_interval_months = :months, stage_rollup = :rollup, consultant = :consultant, "
           "confidentiality = :confidentiality WHERE id = :id",
        soci::use(org.name), soci::use(org.industry), soci::use(org.size_band),
        soci::use(org.review_interval_months), soci::use(rollup), soci::use(org.consultant),
        soci::use(org.confidentiality), soci::use(org.id);
    if (rollup_before != rollup) invalidate_reports(*impl_, sql, org.id);
    sql << "DELETE FROM units WHERE org_id = :o", soci::use(org.id);
    for (std::size_t i = 0; i < org.units.size(); ++i) {
      const int position = static_cast<int>(i);
      sql << "INSERT INTO units (org_id, name, position) VALUES (:o, :n, :p)", soci::use(org.id),
          soci::use(org.units[i]), soci::use(position);
    }
    impl_->announce(sql, ChangeKind::organization, org.id);
    Impl::record_audit(sql, audit);
  });
  return refused;
}

std::optional<Organization> Store::find_organization(const std::string& id) {
  return impl_->read([&](soci::session& sql) -> std::optional<Organization> {
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kOrgColumns) + "WHERE o.id = :id", soci::use(id));
    soci::rowset<soci::row> units =
        (sql.prepare << std::string(kUnitColumns) + "WHERE u.org_id = :id ORDER BY u.position",
         soci::use(id));
    auto orgs = organizations_from(rows, units);
    if (orgs.empty()) return std::nullopt;
    return orgs.front();
  });
}

std::vector<Organization> Store::organizations_for(const User& user) {
  return impl_->read([&](soci::session& sql) {
    if (user.is_admin) {
      soci::rowset<soci::row> rows = (sql.prepare << std::string(kOrgColumns) + "ORDER BY o.name");
      soci::rowset<soci::row> units =
          (sql.prepare << std::string(kUnitColumns) + "ORDER BY u.org_id, u.position");
      return organizations_from(rows, units);
    }
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kOrgColumns) + kMemberOrgs + "ORDER BY o.name",
         soci::use(user.id));
    soci::rowset<soci::row> units =
        (sql.prepare << std::string(kUnitColumns) +
                            "JOIN memberships m ON m.org_id = u.org_id WHERE m.user_id = :u ORDER "
                            "BY u.org_id, u.position",
         soci::use(user.id));
    return organizations_from(rows, units);
  });
}

std::optional<OrgLogo> Store::organization_logo(const std::string& org_id) {
  return impl_->read([&](soci::session& sql) -> std::optional<OrgLogo> {
    std::string type, encoded;
    long long updated = 0;
    sql << "SELECT logo_type, logo_base64, logo_updated_at FROM organizations WHERE id = :id",
        soci::use(org_id), soci::into(type), soci::into(encoded), soci::into(updated);
    if (!sql.got_data() || type.empty()) return std::nullopt;
    auto bytes = base64_decode(encoded);
    if (!bytes) return std::nullopt;
    OrgLogo logo;
    logo.bytes = std::move(*bytes);
    logo.type = type;
    logo.updated_at = updated;
    return logo;
  });
}

void Store::set_organization_logo(const std::string& org_id, const std::optional<OrgLogo>& logo,
                                  const AuditEntry& audit) {
  impl_->write([&](soci::session& sql) {
    const std::string type = logo ? logo->type : "";
    const std::string encoded = logo ? base64_encode(logo->bytes) : "";
    const long long updated = logo ? logo->updated_at : 0;
    sql << "UPDATE organizations SET logo_type = :t, logo_base64 = :b, logo_updated_at = :u "
           "WHERE id = :id",
        soci::use(type), soci::use(encoded), soci::use(updated), soci::use(org_id);
    impl_->announce(sql, ChangeKind::organization, org_id);
    Impl::record_audit(sql, audit);
  });
}

namespace {

// Targets and scope of the organizations picked by `where` (on o), by id.
std::map<std::string, OrgAims> read_aims(soci::session& sql, const std::string& where,
                                         const std::string& value) {
  std::map<std::string, OrgAims> out;
  soci::rowset<soci::row> targets =
      (sql.prepare << "SELECT t.org_id, t.competency_id, t.target_stage FROM competency_targets t "
                      "JOIN organizations o ON o.id = t.org_id " +
                          where + " ORDER BY t.org_id, t.competency_id",
       soci::use(value));
  for (const auto& row : targets) {
    out[as_text(row, 0)].targets.push_back({as_text(row, 1), static_cast<int>(as_int64(row, 2))});
  }
  soci::rowset<soci::row> scope =
      (sql.prepare << "SELECT x.org_id, x.item_id, x.reason FROM out_of_scope_items x "
                      "JOIN organizations o ON o.id = x.org_id " +
                          where + " ORDER BY x.org_id, x.item_id",
       soci::use(value));
  for (const auto& row : scope)
    out[as_text(row, 0)].out_of_scope.push_back({as_text(row, 1), as_text(row, 2)});
  return out;
}

}  // namespace

OrgAims Store::org_aims(const std::string& org_id) {
  return impl_->read([&](soci::session& sql) {
    auto all = read_aims(sql, "WHERE o.id = :v", org_id);
    return all.empty() ? OrgAims{} : all.begin()->second;
  });
}

std::map<std::string, OrgAims> Store::aims_for(const User& user) {
  return impl_->read([&](soci::session& sql) {
    if (user.is_admin) return read_aims(sql, "WHERE o.id <> :v", "");  // every id is non-empty
    return read_aims(sql, "WHERE o.id IN (SELECT org_id FROM memberships WHERE user_id = :v)",
                     user.id);
  });
}

void Store::save_org_aims(const std::string& org_id, const OrgAims& aims, const AuditEntry& audit) {
  impl_->write([&](soci::session& sql) {
    sql << "DELETE FROM competency_targets WHERE org_id = :o", soci::use(org_id);
    sql << "DELETE FROM out_of_scope_items WHERE org_id = :o", soci::use(org_id);
    for (const auto& t : aims.targets) {
      sql << "INSERT INTO competency_targets (org_id, competency_id, target_stage) VALUES (:o, :c, "
             ":s)",
          soci::use(org_id), soci::use(t.competency_id), soci::use(t.target_stage);
    }
    for (const auto& x : aims.out_of_scope) {
      sql << "INSERT INTO out_of_scope_items (org_id, item_id, reason) VALUES (:o, :i, :r)",
          soci::use(org_id), soci::use(x.item_id), soci::use(x.reason);
    }
    // Targets and scope are part of every report of the organization.
    invalidate_reports(*impl_, sql, org_id);
    Impl::record_audit(sql, audit);
  });
}

std::optional<OrgRole> Store::membership_role(const std::string& user_id,
                                              const std::string& org_id) {
  return impl_->read([&](soci::session& sql) -> std::optional<OrgRole> {
    std::string role;
    soci::indicator indicator = soci::i_null;
    sql << "SELECT role FROM memberships WHERE user_id = :u AND org_id = :o", soci::use(user_id),
        soci::use(org_id), soci::into(role, indicator);
    if (!sql.got_data() || indicator != soci::i_ok) return std::nullopt;
    return org_role_from(role);
  });
}

std::map<std::string, std::vector<std::string>> Store::members_by_org() {
  return impl_->read([&](soci::session& sql) {
    std::map<std::string, std::vector<std::string>> out;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT m.org_id, m.user_id FROM memberships m JOIN users u ON u.id = "
                        "m.user_id WHERE u.is_admin = 0 ORDER BY m.org_id, m.user_id");
    for (const auto& row : rows) out[as_text(row, 0)].push_back(as_text(row, 1));
    return out;
  });
}

void Store::add_membership(const Membership& membership) {
  impl_->write([&](soci::session& sql) {
    sql << "DELETE FROM memberships WHERE user_id = :u AND org_id = :o",
        soci::use(membership.user_id), soci::use(membership.org_id);
    const std::string role(to_text(membership.role));
    sql << "INSERT INTO memberships (user_id, org_id, role) VALUES (:u, :o, :r)",
        soci::use(membership.user_id), soci::use(membership.org_id), soci::use(role);
    impl_->announce(sql, ChangeKind::membership, membership.user_id + "|" + membership.org_id);
  });
}

}  // namespace cxm::store
