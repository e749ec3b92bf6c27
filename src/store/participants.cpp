// Participant links and their answers.
#include <map>
#include <memory>

#include "store/store_impl.h"

namespace cxm::store {
namespace {

constexpr const char* kParticipantColumns =
    "SELECT id, cycle_id, label, role, unit, revoked, submitted_at, created_at FROM participants ";

Participant participant_from(const soci::row& row) {
  return Participant{as_text(row, 0),         as_text(row, 1),           as_text(row, 2), as_text(row, 3),
                     as_text(row, 4),         as_int64(row, 5) != 0,     as_optional_int64(row, 6),
                     as_int64(row, 7)};
}

std::optional<Participant> first_participant(soci::session& sql, const std::string& where, const std::string& value) {
  soci::rowset<soci::row> rows = (sql.prepare << std::string(kParticipantColumns) + where, soci::use(value));
  for (const auto& row : rows) return participant_from(row);
  return std::nullopt;
}

std::vector<StoredAnswer> answers_from(soci::rowset<soci::row>& rows, std::size_t first_column) {
  std::vector<StoredAnswer> out;
  for (const auto& row : rows) {
    StoredAnswer a{as_text(row, first_column), std::nullopt};
    if (const auto v = as_optional_int64(row, first_column + 1)) a.value = static_cast<int>(*v);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

void Store::create_participants(const std::vector<Participant>& participants,
                                const std::vector<std::string>& token_hashes) {
  impl_->write([&](soci::session& sql) {
    for (std::size_t i = 0; i < participants.size(); ++i) {
      const Participant& p = participants[i];
      sql << "INSERT INTO participants (id, cycle_id, token_hash, label, role, unit, revoked, created_at) "
             "VALUES (:id, :cycle, :token, :label, :role, :unit, 0, :created)",
          soci::use(p.id), soci::use(p.cycle_id), soci::use(token_hashes[i]), soci::use(p.label), soci::use(p.role),
          soci::use(p.unit), soci::use(static_cast<long long>(p.created_at));
    }
  });
}

std::optional<Participant> Store::find_participant_by_token(const std::string& token_hash) {
  return impl_->read([&](soci::session& sql) { return first_participant(sql, "WHERE token_hash = :v", token_hash); });
}

std::optional<Participant> Store::find_participant(const std::string& id) {
  return impl_->read([&](soci::session& sql) { return first_participant(sql, "WHERE id = :v", id); });
}

std::vector<Participant> Store::participants_of(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kParticipantColumns) + "WHERE cycle_id = :c ORDER BY created_at, id",
         soci::use(cycle_id));
    std::vector<Participant> out;
    for (const auto& row : rows) out.push_back(participant_from(row));
    return out;
  });
}

namespace {

void bump_answers_version(soci::session& sql, const std::string& participant_id) {
  sql << "UPDATE cycles SET answers_version = answers_version + 1 WHERE id = "
         "(SELECT cycle_id FROM participants WHERE id = :p)",
      soci::use(participant_id);
}

}  // namespace

void Store::revoke_participant(const std::string& id) {
  impl_->write_for(id, [&](soci::session& sql) {
    sql << "UPDATE participants SET revoked = 1 WHERE id = :id", soci::use(id);
    bump_answers_version(sql, id);
  });
}

namespace {

// The hot write path's statements, prepared once per writer session and
// executed with new values bound through these members. Lives in the
// writer's thread only.
struct SaveAnswerStatements {
  std::string participant, item;
  int value = 0;
  soci::indicator value_indicator = soci::i_ok;
  long long at = 0;
  long long submitted_at = 0;
  soci::indicator submitted_indicator = soci::i_null;
  int revoked = 0;
  std::string status;
  long long count = 0;
  soci::statement state;
  soci::statement upsert;
  soci::statement counted;

  explicit SaveAnswerStatements(soci::session& sql)
      : state((sql.prepare << "SELECT p.submitted_at, p.revoked, c.status FROM participants p JOIN cycles c ON "
                             "c.id = p.cycle_id WHERE p.id = :p",
              soci::use(participant), soci::into(submitted_at, submitted_indicator), soci::into(revoked),
              soci::into(status))),
        // One statement for both databases: insert, or replace in place.
        upsert((sql.prepare << "INSERT INTO answers (participant_id, item_id, value, updated_at) "
                              "VALUES (:p, :i, :v, :t) ON CONFLICT (participant_id, item_id) DO UPDATE SET "
                              "value = excluded.value, updated_at = excluded.updated_at",
               soci::use(participant), soci::use(item), soci::use(value, value_indicator), soci::use(at))),
        counted((sql.prepare << "SELECT COUNT(*) FROM answers WHERE participant_id = :p", soci::use(participant),
                 soci::into(count))) {}
};

SaveAnswerStatements& save_answer_statements(soci::session& sql) {
  // The writer thread owns its session; the map dies with the thread.
  thread_local std::map<soci::session*, std::unique_ptr<SaveAnswerStatements>> prepared;
  auto& slot = prepared[&sql];
  if (!slot) slot = std::make_unique<SaveAnswerStatements>(sql);
  return *slot;
}

}  // namespace

namespace {

// The job that saves one participant's answers; sets `saved` to how many of
// the participant's answers exist afterwards. Repeatable, as the writer needs.
Writer::Job save_answers_job(std::string participant_id, std::vector<StoredAnswer> answers, std::int64_t now,
                             std::shared_ptr<std::size_t> saved) {
  return [participant_id = std::move(participant_id), answers = std::move(answers), now,
          saved = std::move(saved)](soci::session& sql) {
    SaveAnswerStatements& st = save_answer_statements(sql);
    st.participant = participant_id;
    st.submitted_indicator = soci::i_null;
    // A prepared SELECT left on its row keeps SQLite's read snapshot open
    // past the commit; a later write on that stale snapshot fails with
    // "database is locked" once another process has written. So each one
    // is stepped to its end.
    const bool found = st.state.execute(true);
    st.state.fetch();
    if (found) {
      if (st.submitted_indicator == soci::i_ok) throw AnswersRefused("already_submitted");
      if (st.revoked != 0) throw AnswersRefused("revoked");
      if (st.status != "open") throw AnswersRefused("cycle_not_open");
    }
    st.at = now;
    for (const auto& a : answers) {
      st.item = a.item_id;
      st.value = a.value.value_or(0);
      st.value_indicator = a.value ? soci::i_ok : soci::i_null;
      st.upsert.execute(true);
    }
    st.counted.execute(true);
    const auto count = st.count;
    st.counted.fetch();
    *saved = static_cast<std::size_t>(count);
  };
}

}  // namespace

std::size_t Store::save_answers(const std::string& participant_id, const std::vector<StoredAnswer>& answers,
                                std::int64_t now) {
  auto saved = std::make_shared<std::size_t>(0);
  impl_->write_for(participant_id, save_answers_job(participant_id, answers, now, saved));
  return *saved;
}

void Store::save_answers_async(std::string participant_id, std::vector<StoredAnswer> answers, std::int64_t now,
                               std::function<void(std::exception_ptr, std::size_t)> done) {
  auto saved = std::make_shared<std::size_t>(0);
  const std::string key = participant_id;
  impl_->write_async_for(key, save_answers_job(std::move(participant_id), std::move(answers), now, saved),
                         [saved, done = std::move(done)](std::exception_ptr failure) { done(failure, *saved); });
}

bool Store::submit(const std::string& participant_id, std::int64_t now) {
  bool submitted = false;
  impl_->write_for(participant_id, [&](soci::session& sql) {
    const long long at = now;
    soci::statement st = (sql.prepare << "UPDATE participants SET submitted_at = :t WHERE id = :id AND "
                                         "submitted_at IS NULL",
                          soci::use(at), soci::use(participant_id));
    st.execute(true);
    submitted = st.get_affected_rows() == 1;
    if (submitted) bump_answers_version(sql, participant_id);
  });
  return submitted;
}

std::vector<StoredAnswer> Store::answers_of(const std::string& participant_id) {
  return impl_->read([&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT item_id, value FROM answers WHERE participant_id = :p", soci::use(participant_id));
    return answers_from(rows, 0);
  });
}

std::size_t Store::answer_count(const std::string& participant_id) {
  return impl_->read([&](soci::session& sql) {
    long long count = 0;
    sql << "SELECT COUNT(*) FROM answers WHERE participant_id = :p", soci::use(participant_id), soci::into(count);
    return static_cast<std::size_t>(count);
  });
}

std::vector<ParticipantAnswers> Store::cycle_answers(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    std::vector<ParticipantAnswers> out;
    soci::rowset<soci::row> people =
        (sql.prepare << std::string(kParticipantColumns) + "WHERE cycle_id = :c AND revoked = 0 ORDER BY id",
         soci::use(cycle_id));
    for (const auto& row : people) out.push_back(ParticipantAnswers{participant_from(row), {}});
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT a.participant_id, a.item_id, a.value FROM answers a JOIN participants p ON "
                        "p.id = a.participant_id WHERE p.cycle_id = :c AND p.revoked = 0 ORDER BY a.participant_id",
         soci::use(cycle_id));
    std::size_t at = 0;
    for (const auto& row : rows) {
      const std::string pid = as_text(row, 0);
      while (at < out.size() && out[at].participant.id < pid) ++at;
      if (at == out.size() || out[at].participant.id != pid) continue;
      StoredAnswer a{as_text(row, 1), std::nullopt};
      if (const auto v = as_optional_int64(row, 2)) a.value = static_cast<int>(*v);
      out[at].answers.push_back(std::move(a));
    }
    return out;
  });
}

}  // namespace cxm::store
