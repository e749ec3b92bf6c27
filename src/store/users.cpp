// Users and log-in sessions.
#include "store/store_impl.h"

namespace cxm::store {
namespace {

const char* kUserColumns =
    "SELECT id, email, name, password_hash, is_admin, created_at, lang FROM users ";

User user_from(const soci::row& row) {
  return User{as_text(row, 0),       as_text(row, 1),  as_text(row, 2), as_text(row, 3),
              as_int64(row, 4) != 0, as_int64(row, 5), as_text(row, 6)};
}

std::optional<User> first_user(soci::session& sql, const std::string& where,
                               const std::string& value) {
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string(kUserColumns) + where, soci::use(value));
  for (const auto& row : rows) return user_from(row);
  return std::nullopt;
}

// False when the e-mail address is taken.
bool insert_user(soci::session& sql, const User& user) {
  long long count = 0;
  sql << "SELECT COUNT(*) FROM users WHERE email = :e", soci::use(user.email), soci::into(count);
  if (count > 0) return false;
  const int admin = user.is_admin ? 1 : 0;
  sql << "INSERT INTO users (id, email, name, password_hash, is_admin, created_at) "
         "VALUES (:id, :email, :name, :hash, :admin, :created)",
      soci::use(user.id), soci::use(user.email), soci::use(user.name),
      soci::use(user.password_hash), soci::use(admin),
      soci::use(static_cast<long long>(user.created_at));
  return true;
}

}  // namespace

std::size_t Store::user_count() {
  return impl_->read([](soci::session& sql) {
    long long count = 0;
    sql << "SELECT COUNT(*) FROM users", soci::into(count);
    return static_cast<std::size_t>(count);
  });
}

bool Store::create_first_admin(const User& user, const AuditEntry& audit) {
  bool created = false;
  // The check and the insert share the writer's transaction: two
  // concurrent set-up requests cannot both succeed.
  impl_->write([&](soci::session& sql) {
    created = false;  // the job may run twice (see Writer)
    long long count = 0;
    sql << "SELECT COUNT(*) FROM users", soci::into(count);
    if (count > 0) return;
    created = insert_user(sql, user);
    if (created) Impl::record_audit(sql, audit);
  });
  return created;
}

bool Store::create_user(const User& user) {
  bool created = false;
  impl_->write([&](soci::session& sql) { created = insert_user(sql, user); });
  return created;
}

std::optional<User> Store::find_user_by_email(const std::string& email) {
  return impl_->read(
      [&](soci::session& sql) { return first_user(sql, "WHERE email = :v", email); });
}

std::optional<User> Store::find_user(const std::string& id) {
  return impl_->read([&](soci::session& sql) { return first_user(sql, "WHERE id = :v", id); });
}

void Store::set_password_hash(const std::string& user_id, const std::string& hash,
                              const AuditEntry& audit) {
  impl_->write([&](soci::session& sql) {
    sql << "UPDATE users SET password_hash = :h WHERE id = :id", soci::use(hash),
        soci::use(user_id);
    sql << "DELETE FROM login_sessions WHERE user_id = :id", soci::use(user_id);
    impl_->announce(sql, ChangeKind::user, user_id);
    Impl::record_audit(sql, audit);
  });
}

void Store::set_admin(const std::string& user_id, bool admin, const AuditEntry& audit) {
  const int flag = admin ? 1 : 0;
  impl_->write([&](soci::session& sql) {
    sql << "UPDATE users SET is_admin = :a WHERE id = :id", soci::use(flag), soci::use(user_id);
    sql << "DELETE FROM login_sessions WHERE user_id = :id", soci::use(user_id);
    impl_->announce(sql, ChangeKind::user, user_id);
    Impl::record_audit(sql, audit);
  });
}

void Store::create_session(const std::string& token_hash, const LoginSession& session) {
  impl_->write([&](soci::session& sql) {
    sql << "INSERT INTO login_sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
           "VALUES (:t, :u, :c, :now, :e)",
        soci::use(token_hash), soci::use(session.user_id), soci::use(session.csrf_token),
        soci::use(static_cast<long long>(session.created_at)),
        soci::use(static_cast<long long>(session.expires_at));
  });
}

std::optional<LoginSession> Store::find_session(const std::string& token_hash, std::int64_t now) {
  return impl_->read([&](soci::session& sql) -> std::optional<LoginSession> {
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT user_id, csrf_token, expires_at FROM login_sessions WHERE token_hash = :t",
         soci::use(token_hash));
    for (const auto& row : rows) {
      LoginSession s{as_text(row, 0), as_text(row, 1), as_int64(row, 2), 0};
      if (s.expires_at <= now) return std::nullopt;
      return s;
    }
    return std::nullopt;
  });
}

void Store::delete_session(const std::string& token_hash) {
  impl_->write([&](soci::session& sql) {
    sql << "DELETE FROM login_sessions WHERE token_hash = :t", soci::use(token_hash);
    impl_->announce(sql, ChangeKind::session, token_hash);
  });
}

bool Store::set_user_lang(const std::string& user_id, const std::string& lang) {
  bool found = false;
  impl_->write([&](soci::session& sql) {
    soci::statement update = (sql.prepare << "UPDATE users SET lang = :lang WHERE id = :id",
                              soci::use(lang), soci::use(user_id));
    update.execute(true);
    found = update.get_affected_rows() > 0;
    // Sessions cached in every process hold the user, and so the language.
    if (found) impl_->announce(sql, ChangeKind::user, user_id);
  });
  return found;
}

}  // namespace cxm::store
