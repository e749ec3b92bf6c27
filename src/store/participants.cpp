// Participant links and their answers.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>

#include "core/comments.h"
#include "store/store_impl.h"

namespace cxm::store {
namespace {

constexpr const char* kParticipantColumns =
    "SELECT id, cycle_id, label, role, unit, revoked, submitted_at, created_at, claim_hash, "
    "released_in, import_id, workshop_id, link_closed, lang, answered_lang "
    "FROM participants ";

Participant participant_from(const soci::row& row) {
  Participant p{as_text(row, 0), as_text(row, 1),       as_text(row, 2),           as_text(row, 3),
                as_text(row, 4), as_int64(row, 5) != 0, as_optional_int64(row, 6), as_int64(row, 7),
                as_text(row, 8), std::nullopt};
  if (const auto release = as_optional_int64(row, 9)) p.released_in = static_cast<int>(*release);
  p.import_id = as_text(row, 10);
  p.workshop_id = as_text(row, 11);
  p.link_closed = as_int64(row, 12) != 0;
  p.lang = as_text(row, 13);
  p.answered_lang = as_text(row, 14);
  return p;
}

std::optional<Participant> first_participant(soci::session& sql, const std::string& where,
                                             const std::string& value) {
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string(kParticipantColumns) + where, soci::use(value));
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

bool Store::create_participants(const std::vector<Participant>& participants,
                                const std::vector<std::string>& token_hashes,
                                const AuditEntry& audit) {
  if (participants.empty()) return true;
  bool created = false;
  impl_->write([&](soci::session& sql) {
    created = false;
    // PostgreSQL: the row lock makes a concurrent close wait for this
    // commit (SQLite's writer already holds the database's write lock).
    std::string status;
    soci::indicator none = soci::i_ok;
    sql << std::string("SELECT status FROM cycles WHERE id = :c") +
               (impl_->postgresql() ? " FOR SHARE" : ""),
        soci::use(participants.front().cycle_id), soci::into(status, none);
    if (!sql.got_data() || none == soci::i_null || cycle_status_from(status) == CycleStatus::closed)
      return;
    created = true;
    for (std::size_t i = 0; i < participants.size(); ++i) {
      const Participant& p = participants[i];
      sql << "INSERT INTO participants (id, cycle_id, token_hash, label, role, unit, revoked, "
             "created_at) "
             "VALUES (:id, :cycle, :token, :label, :role, :unit, 0, :created)",
          soci::use(p.id), soci::use(p.cycle_id), soci::use(token_hashes[i]), soci::use(p.label),
          soci::use(p.role), soci::use(p.unit), soci::use(static_cast<long long>(p.created_at));
    }
    Impl::record_audit(sql, audit);
  });
  return created;
}

std::optional<Participant> Store::find_participant_by_token(const std::string& token_hash) {
  return impl_->read([&](soci::session& sql) {
    return first_participant(sql, "WHERE token_hash = :v", token_hash);
  });
}

std::optional<Participant> Store::find_participant(const std::string& id) {
  return impl_->read(
      [&](soci::session& sql) { return first_participant(sql, "WHERE id = :v", id); });
}

std::vector<Participant> Store::participants_of(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kParticipantColumns) +
                            "WHERE cycle_id = :c AND workshop_id IS NULL ORDER BY created_at, id",
         soci::use(cycle_id));
    std::vector<Participant> out;
    for (const auto& row : rows) out.push_back(participant_from(row));
    return out;
  });
}

namespace {

// A claim changes only the link: every process's cached copy must go.
void announce_link(const Store::Impl& impl, soci::session& sql, const std::string& participant_id) {
  std::string token_hash;
  sql << "SELECT token_hash FROM participants WHERE id = :p", soci::use(participant_id),
      soci::into(token_hash);
  impl.announce(sql, ChangeKind::link, token_hash);
}

// A submission or revocation changes what the cycle's report counts: every
// process's cached cycle row (with its answers_version) and link must go.
void announce_link_change(const Store::Impl& impl, soci::session& sql,
                          const std::string& participant_id) {
  std::string cycle_id;
  sql << "SELECT cycle_id FROM participants WHERE id = :p", soci::use(participant_id),
      soci::into(cycle_id);
  sql << "UPDATE cycles SET answers_version = answers_version + 1 WHERE id = :c",
      soci::use(cycle_id);
  impl.announce(sql, ChangeKind::cycle, cycle_id);
  announce_link(impl, sql, participant_id);
}

ClaimOutcome why_not_claimable(soci::session& sql, const std::string& id) {
  int revoked = 0;
  soci::indicator submitted_null = soci::i_ok;
  long long submitted = 0;
  sql << "SELECT revoked + link_closed, submitted_at FROM participants WHERE id = :id",
      soci::use(id), soci::into(revoked), soci::into(submitted, submitted_null);
  if (!sql.got_data()) return ClaimOutcome::unknown_link;
  if (revoked != 0) return ClaimOutcome::revoked;
  if (submitted_null == soci::i_ok) return ClaimOutcome::submitted;
  return ClaimOutcome::already_claimed;
}

}  // namespace

RevokeOutcome Store::revoke_participant(const std::string& id) {
  RevokeOutcome outcome = RevokeOutcome::not_found;
  impl_->write_for(id, [&](soci::session& sql) {
    int revoked = 0, closed = 0, anonymous = 0;
    std::string import_id;
    soci::indicator none = soci::i_ok, import_null = soci::i_ok;
    sql << "SELECT p.revoked, p.link_closed, p.import_id, c.anonymous FROM participants p JOIN "
           "cycles c ON c.id = p.cycle_id WHERE p.id = :id" +
               std::string(impl_->postgresql() ? " FOR UPDATE OF p" : ""),
        soci::use(id), soci::into(revoked, none), soci::into(closed),
        soci::into(import_id, import_null), soci::into(anonymous);
    if (!sql.got_data()) {
      outcome = RevokeOutcome::not_found;
      return;
    }
    if (revoked != 0 || closed != 0) {
      outcome = RevokeOutcome::already_revoked;
      return;
    }
    if (anonymous == 0) {
      // A named cycle: the link and its answers go, and its comments are
      // erased (free text may say more about its writer than answers do).
      sql << "UPDATE participants SET revoked = 1 WHERE id = :id", soci::use(id);
      sql << "DELETE FROM comments WHERE participant_id = :id", soci::use(id);
      outcome = RevokeOutcome::revoked;
      erase_mail_on_revoke(sql, id);
      announce_link_change(*impl_, sql, id);
      return;
    }
    // An anonymous cycle. An imported respondent has no link, and taking
    // one out would show its answers by difference.
    if (import_null == soci::i_ok && !import_id.empty()) {
      outcome = RevokeOutcome::submitted_anonymously;
      return;
    }
    // Any link closes alike, whatever its person did: it opens no more,
    // and every count and result stays as it was (a submitted response
    // stays in; a refusal or a count that moved would tell who answered).
    sql << "UPDATE participants SET link_closed = 1 WHERE id = :id", soci::use(id);
    outcome = RevokeOutcome::revoked;
    erase_mail_on_revoke(sql, id);
    announce_link(*impl_, sql, id);
  });
  return outcome;
}

ClaimOutcome Store::claim_link(const std::string& id, const std::string& claim_hash,
                               const std::string& resume_hash) {
  ClaimOutcome outcome = ClaimOutcome::unknown_link;
  impl_->write_for(id, [&](soci::session& sql) {
    soci::statement st =
        (sql.prepare << "UPDATE participants SET claim_hash = :c, resume_hash = :r WHERE id = :id "
                        "AND claim_hash IS NULL AND revoked = 0 AND link_closed = 0 AND "
                        "submitted_at IS NULL",
         soci::use(claim_hash), soci::use(resume_hash), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() == 1) {
      outcome = ClaimOutcome::claimed;
      announce_link(*impl_, sql, id);
      return;
    }
    outcome = why_not_claimable(sql, id);
  });
  return outcome;
}

ClaimOutcome Store::resume_link(const std::string& id, const std::string& resume_hash,
                                const std::string& claim_hash, const std::string& new_resume_hash) {
  ClaimOutcome outcome = ClaimOutcome::unknown_link;
  impl_->write_for(id, [&](soci::session& sql) {
    std::string stored;
    int failures = 0, revoked = 0;
    soci::indicator stored_null = soci::i_ok, submitted_null = soci::i_ok;
    long long submitted = 0;
    sql << "SELECT resume_hash, resume_failures, revoked + link_closed, submitted_at FROM "
           "participants WHERE id = :id" +
               std::string(impl_->postgresql() ? " FOR UPDATE" : ""),
        soci::use(id), soci::into(stored, stored_null), soci::into(failures), soci::into(revoked),
        soci::into(submitted, submitted_null);
    if (!sql.got_data()) {
      outcome = ClaimOutcome::unknown_link;
    } else if (revoked != 0) {
      outcome = ClaimOutcome::revoked;
    } else if (submitted_null == soci::i_ok) {
      outcome = ClaimOutcome::submitted;
    } else if (stored_null == soci::i_null) {
      outcome = ClaimOutcome::unclaimed;
    } else if (failures >= kMaxResumeFailures) {
      outcome = ClaimOutcome::locked;
    } else if (stored != resume_hash) {
      sql << "UPDATE participants SET resume_failures = resume_failures + 1 WHERE id = :id",
          soci::use(id);
      outcome =
          failures + 1 >= kMaxResumeFailures ? ClaimOutcome::locked : ClaimOutcome::wrong_code;
    } else {
      sql << "UPDATE participants SET claim_hash = :c, resume_hash = :r, resume_failures = 0 WHERE "
             "id = :id",
          soci::use(claim_hash), soci::use(new_resume_hash), soci::use(id);
      outcome = ClaimOutcome::resumed;
      announce_link(*impl_, sql, id);
    }
  });
  return outcome;
}

namespace {

// A link's state as the link check reads it, inside the writer's
// transaction.
struct LinkState {
  bool submitted = false;
  bool revoked = false;  // or closed
  std::string status;    // the cycle's
  std::optional<std::string> claim;
  std::optional<std::string> workshop;  // a seat's workshop
};

// The one rule of every answer write and submission: the writer must hold
// the browser's claim (the hash of its secret) of a link that is neither
// revoked nor submitted, in an open cycle. `seat`: the write is a workshop
// seat's (else an invited link's questionnaire). `state`: nullopt for an
// unknown link.
LinkRefusal link_refusal(const std::optional<LinkState>& state, const std::string& claim_hash,
                         bool seat) {
  if (!state) return LinkRefusal::unknown_link;
  if (state->revoked) return LinkRefusal::revoked;
  // A workshop's link answers through the workshop only (its reveal rule),
  // and is never submitted into the cycle's results; an invited link is no
  // seat.
  const bool is_seat = state->workshop.has_value();
  if (is_seat != seat) return seat ? LinkRefusal::unknown_link : LinkRefusal::workshop_link;
  if (state->submitted) return LinkRefusal::already_submitted;
  if (cycle_status_from(state->status) != CycleStatus::open) return LinkRefusal::cycle_not_open;
  if (!state->claim || state->claim->empty() || *state->claim != claim_hash)
    return LinkRefusal::not_claimed;
  return LinkRefusal::none;
}

// On PostgreSQL the check locks the participant's row until the commit: a
// submission or revocation by another process waits for this write, or
// this check waits for it and reads its outcome. (SQLite's writer holds the
// database's write lock from the start of the transaction.)
constexpr const char* kLinkStateColumns =
    "p.submitted_at, p.revoked + p.link_closed, c.status, p.claim_hash, p.workshop_id FROM "
    "participants p JOIN cycles c ON c.id = p.cycle_id ";

// The link check of one participant, prepared once per writer session and
// executed with new values bound through these members. Lives in the
// writer's thread only.
struct LinkCheck {
  std::string participant;
  long long submitted_at = 0;
  soci::indicator submitted_indicator = soci::i_null;
  int revoked = 0;
  std::string status;
  std::string claim;
  soci::indicator claim_indicator = soci::i_null;
  std::string workshop;
  soci::indicator workshop_indicator = soci::i_null;
  soci::statement state;

  explicit LinkCheck(soci::session& sql)
      : state(
            (sql.prepare << std::string("SELECT ") + kLinkStateColumns + "WHERE p.id = :p" +
                                (sql.get_backend_name() == "postgresql" ? " FOR UPDATE OF p" : ""),
             soci::use(participant), soci::into(submitted_at, submitted_indicator),
             soci::into(revoked), soci::into(status), soci::into(claim, claim_indicator),
             soci::into(workshop, workshop_indicator))) {}

  std::optional<LinkState> read(const std::string& participant_id) {
    participant = participant_id;
    submitted_indicator = soci::i_null;
    claim_indicator = soci::i_null;
    workshop_indicator = soci::i_null;
    if (!fetch_one(state)) return std::nullopt;
    LinkState s{submitted_indicator == soci::i_ok, revoked != 0, status, std::nullopt,
                std::nullopt};
    if (claim_indicator == soci::i_ok) s.claim = claim;
    if (workshop_indicator == soci::i_ok) s.workshop = workshop;
    return s;
  }

  LinkRefusal check(const std::string& participant_id, const std::string& claim_hash, bool seat) {
    return link_refusal(read(participant_id), claim_hash, seat);
  }
};

// Prepared once per writer session and kept with it (a session replaced
// after a lost connection gets statements of its own).
LinkCheck& link_check(Writer& writer, soci::session& sql) {
  static const char key = 0;
  auto& slot = writer.session_slot(&key);
  if (!slot) slot = std::make_shared<LinkCheck>(sql);
  return *static_cast<LinkCheck*>(slot.get());
}

// The link check of a group of participants: on PostgreSQL one statement
// (the ids as an array) reads and locks them all, in the order of their
// ids, so that two processes' groups wait for each other rather than
// deadlock; on SQLite, in process, LinkCheck participant by participant.
class LinkChecks {
 public:
  explicit LinkChecks(soci::session& sql) : sql_(sql) {}

  static LinkChecks& of(Writer& writer, soci::session& sql) {
    static const char key = 0;
    auto& slot = writer.session_slot(&key);
    if (!slot) slot = std::make_shared<LinkChecks>(sql);
    return *static_cast<LinkChecks*>(slot.get());
  }

  // Each participant's state, by id; a participant not there is unknown.
  std::map<std::string, LinkState, std::less<>> read(Writer& writer,
                                                     const std::vector<const std::string*>& ids) {
    std::map<std::string, LinkState, std::less<>> out;
    if (ids.empty()) return out;
    if (sql_.get_backend_name() != "postgresql") {
      for (const auto* id : ids) {
        if (auto s = link_check(writer, sql_).read(*id)) out.emplace(*id, std::move(*s));
      }
      return out;
    }
    ids_.assign(1, '{');
    for (const auto* id : ids) append_array_text(ids_, *id);
    ids_.back() = '}';
    if (!state_) {
      state_ = std::make_unique<soci::statement>(
          (sql_.prepare
               << std::string("SELECT p.id, ") + kLinkStateColumns +
                      "WHERE p.id = ANY(CAST(:ids AS text[])) ORDER BY p.id FOR UPDATE OF p",
           soci::use(ids_), soci::into(id_), soci::into(submitted_at_, submitted_indicator_),
           soci::into(revoked_), soci::into(status_), soci::into(claim_, claim_indicator_),
           soci::into(workshop_, workshop_indicator_)));
    }
    resize(ids.size());
    if (!state_->execute(true)) return out;
    for (std::size_t i = 0; i < id_.size(); ++i) {
      LinkState s{submitted_indicator_[i] == soci::i_ok, revoked_[i] != 0, status_[i], std::nullopt,
                  std::nullopt};
      if (claim_indicator_[i] == soci::i_ok) s.claim = claim_[i];
      if (workshop_indicator_[i] == soci::i_ok) s.workshop = workshop_[i];
      out.emplace(id_[i], std::move(s));
    }
    return out;
  }

 private:
  // SOCI fetches as many rows as the vectors hold: one per participant.
  void resize(std::size_t rows) {
    id_.resize(rows);
    submitted_at_.resize(rows);
    submitted_indicator_.resize(rows);
    revoked_.resize(rows);
    status_.resize(rows);
    claim_.resize(rows);
    claim_indicator_.resize(rows);
    workshop_.resize(rows);
    workshop_indicator_.resize(rows);
  }

  soci::session& sql_;
  std::string ids_;
  std::vector<std::string> id_, status_, claim_, workshop_;
  std::vector<long long> submitted_at_;
  std::vector<int> revoked_;
  std::vector<soci::indicator> submitted_indicator_, claim_indicator_, workshop_indicator_;
  std::unique_ptr<soci::statement> state_;  // PostgreSQL's, prepared on first use
};

// Comments are kept as they are written: the callers normalize and check
// them (core/comments.h); a text that would not pass is a caller's error.
// A seat's answers take none.
void check_write(const AnswerWrite& write) {
  if (write.workshop_round != 0 && (write.workshop_round < 1 || write.workshop_round > 2))
    throw std::invalid_argument("a workshop has rounds 1 and 2");
  if (write.workshop_round != 0 && !write.comments.empty())
    throw std::invalid_argument("a workshop seat writes no comments");
  for (const auto& c : write.comments) {
    if (c.competency_id.empty() || c.text != core::normalized_comment(c.text) ||
        core::comment_problem(c.text) || (!c.text.empty() && c.id.empty()))
      throw std::invalid_argument("a comment to save is not normalized, checked and named");
  }
}

// Inserts, replaces (keeping the first id) or, for an empty text, deletes
// the participant's comment on each competency. Not the hot path: most
// saves carry none.
void write_comments(soci::session& sql, const std::string& participant_id,
                    const std::vector<StoredComment>& comments, std::int64_t now) {
  const long long at = now;
  for (const auto& c : comments) {
    if (c.text.empty()) {
      sql << "DELETE FROM comments WHERE participant_id = :p AND competency_id = :c",
          soci::use(participant_id), soci::use(c.competency_id);
      continue;
    }
    sql << "INSERT INTO comments (id, participant_id, competency_id, text, updated_at) VALUES "
           "(:id, :p, :c, :t, :at) ON CONFLICT (participant_id, competency_id) DO UPDATE SET "
           "text = excluded.text, updated_at = excluded.updated_at",
        soci::use(c.id), soci::use(participant_id), soci::use(c.competency_id), soci::use(c.text),
        soci::use(at);
  }
}

// The one job that saves a participant's answers, for every kind of link:
// the link check, a seat's workshop rules, the rows (and comments), all in
// the writer's transaction; repeatable, as the writer needs. The saves
// queued together run as one: one link check and one write of the rows
// for them all (each refused or saved on its own).
class AnswerSave final : public Writer::MergedJob {
 public:
  AnswerSave(const Store::Impl& impl, Writer& writer, AnswerWrite write,
             std::shared_ptr<SaveOutcome> outcome)
      : impl_(impl), writer_(writer), write_(std::move(write)), outcome_(std::move(outcome)) {}

  void run(soci::session& sql, const std::vector<Writer::MergedJob*>& jobs) override {
    // A participant's saves apply in their order: a second save of the
    // same participant starts the next part.
    std::vector<AnswerSave*> part;
    std::set<std::string_view> participants;
    for (auto* job : jobs) {
      auto* save = static_cast<AnswerSave*>(job);
      if (!participants.insert(save->write_.participant_id).second) {
        save_together(sql, part);
        part.clear();
        participants = {save->write_.participant_id};
      }
      part.push_back(save);
    }
    save_together(sql, part);
  }

 private:
  // `saves`: of different participants.
  void save_together(soci::session& sql, const std::vector<AnswerSave*>& saves) {
    std::vector<const std::string*> ids;
    for (const auto* save : saves) ids.push_back(&save->write_.participant_id);
    const auto links = LinkChecks::of(writer_, sql).read(writer_, ids);
    std::vector<AnswerSave*> accepted;
    std::vector<AnswerRows::Group> rows;
    for (auto* save : saves) {
      if (save->accepted(sql, links)) {
        accepted.push_back(save);
        rows.push_back(AnswerRows::Group{&save->write_.participant_id, save->round(),
                                         &save->write_.answers, save->write_.now});
      }
    }
    const auto counts = AnswerRows::of(writer_, sql).write_groups(rows);
    for (std::size_t i = 0; i < accepted.size(); ++i) accepted[i]->saved(sql, counts[i]);
  }

  int round() const { return write_.workshop_round != 0 ? write_.workshop_round : 1; }

  // The link check's and a seat's workshop's verdict, kept in the outcome.
  bool accepted(soci::session& sql, const std::map<std::string, LinkState, std::less<>>& links) {
    const bool seat = write_.workshop_round != 0;
    const auto link = links.find(write_.participant_id);
    std::optional<LinkState> state;
    if (link != links.end()) state = link->second;
    *outcome_ = SaveOutcome{link_refusal(state, write_.claim_hash, seat), 0};
    if (outcome_->refusal == LinkRefusal::none && seat) {
      workshop_ = *state->workshop;
      outcome_->refusal = workshop_answer_refusal(impl_, sql, workshop_, write_.participant_id,
                                                  round(), write_.answers);
    }
    return outcome_->refusal == LinkRefusal::none;
  }

  // After the rows: `count` answers of the round are there now.
  void saved(soci::session& sql, std::size_t count) {
    outcome_->saved = count;
    if (!write_.comments.empty())
      write_comments(sql, write_.participant_id, write_.comments, write_.now);
    // A seat's answers move only the counts on the projector; announced so
    // that every process's screens show them at once.
    if (write_.workshop_round != 0) impl_.announce(sql, ChangeKind::workshop, workshop_);
  }

  const Store::Impl& impl_;
  Writer& writer_;
  const AnswerWrite write_;
  const std::shared_ptr<SaveOutcome> outcome_;
  std::string workshop_;  // a seat's
};

}  // namespace

SaveOutcome Store::save_answers(AnswerWrite write) {
  check_write(write);
  auto outcome = std::make_shared<SaveOutcome>();
  Writer& writer = impl_->writer_for(write.participant_id);
  writer.run(std::make_shared<AnswerSave>(*impl_, writer, std::move(write), outcome));
  return *outcome;
}

SaveOutcome Store::save_answers(const std::string& participant_id, const std::string& claim_hash,
                                const std::vector<StoredAnswer>& answers, std::int64_t now,
                                const std::vector<StoredComment>& comments) {
  return save_answers(AnswerWrite{participant_id, claim_hash, answers, comments, now, 0});
}

LinkRefusal Store::save_workshop_answers(const std::string& participant_id,
                                         const std::string& claim_hash, int round,
                                         const std::vector<StoredAnswer>& answers,
                                         std::int64_t now) {
  return save_answers(AnswerWrite{participant_id, claim_hash, answers, {}, now, round}).refusal;
}

void Store::save_answers_async(AnswerWrite write, SaveDone done) {
  check_write(write);
  auto outcome = std::make_shared<SaveOutcome>();
  Writer& writer = impl_->writer_for(write.participant_id);
  auto job = std::make_shared<AnswerSave>(*impl_, writer, std::move(write), outcome);
  auto report = [outcome, done](std::exception_ptr failure) {
    if (!failure) return done(outcome.get(), nullptr);
    try {
      std::rethrow_exception(failure);
    } catch (const StoreError& e) {
      done(nullptr, &e);
    } catch (const soci::soci_error& e) {
      const StoreError error = Store::Impl::failure(e);
      done(nullptr, &error);
    } catch (const std::exception& e) {
      const StoreError error(e.what());
      done(nullptr, &error);
    }
  };
  try {
    writer.submit(std::move(job), std::move(report));
  } catch (const StoreError& e) {  // shutting down
    done(nullptr, &e);
  }
}

LinkRefusal Store::submit(const std::string& participant_id, const std::string& claim_hash,
                          std::int64_t now) {
  LinkRefusal refusal = LinkRefusal::none;
  Writer& writer = impl_->writer_for(participant_id);
  writer.run([&](soci::session& sql) {
    refusal = link_check(writer, sql).check(participant_id, claim_hash, false);
    if (refusal != LinkRefusal::none) return;
    if (AnswerRows::of(writer, sql).count(participant_id, 1) == 0) {
      refusal = LinkRefusal::no_answers;
      return;
    }
    const long long at = now;
    sql << "UPDATE participants SET submitted_at = :t, answered_lang = lang WHERE id = :id AND "
           "submitted_at IS NULL",
        soci::use(at), soci::use(participant_id);
    announce_link_change(*impl_, sql, participant_id);
  });
  return refusal;
}

std::vector<StoredAnswer> Store::answers_of(const std::string& participant_id) {
  return impl_->read([&](soci::session& sql) {
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT item_id, value FROM answers WHERE participant_id = :p AND round = 1",
         soci::use(participant_id));
    return answers_from(rows, 0);
  });
}

std::vector<ParticipantAnswers> Store::answers_of_cycles(
    const std::vector<std::string>& cycle_ids) {
  if (cycle_ids.empty()) return {};
  return impl_->read([&](soci::session& sql) {
    const std::string in = in_list(cycle_ids.size());
    std::vector<ParticipantAnswers> out;
    for_each_row(sql,
                 std::string(kParticipantColumns) + "WHERE revoked = 0 AND cycle_id IN (" + in +
                     ") ORDER BY id",
                 cycle_ids, [&](const soci::row& row) {
                   out.push_back(ParticipantAnswers{participant_from(row), {}});
                 });
    std::size_t at = 0;
    for_each_row(
        sql,
        "SELECT a.participant_id, a.item_id, a.value FROM answers a JOIN participants p ON p.id = "
        "a.participant_id WHERE a.round = 1 AND p.revoked = 0 AND p.cycle_id IN (" +
            in + ") ORDER BY a.participant_id",
        cycle_ids, [&](const soci::row& row) {
          const std::string pid = as_text(row, 0);
          while (at < out.size() && out[at].participant.id < pid) ++at;
          if (at == out.size() || out[at].participant.id != pid) return;
          StoredAnswer a{as_text(row, 1), std::nullopt};
          if (const auto v = as_optional_int64(row, 2)) a.value = static_cast<int>(*v);
          out[at].answers.push_back(std::move(a));
        });
    return out;
  });
}

std::vector<ParticipantAnswers> Store::cycle_answers(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    std::vector<ParticipantAnswers> out;
    soci::rowset<soci::row> people =
        (sql.prepare
             << std::string(kParticipantColumns) +
                    "WHERE cycle_id = :c AND revoked = 0 AND workshop_id IS NULL ORDER BY id",
         soci::use(cycle_id));
    for (const auto& row : people) out.push_back(ParticipantAnswers{participant_from(row), {}});
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT a.participant_id, a.item_id, a.value FROM answers a JOIN participants p ON "
                "p.id = a.participant_id WHERE a.round = 1 AND p.cycle_id = :c AND p.revoked = 0 "
                "AND "
                "p.workshop_id "
                "IS NULL "
                "ORDER BY a.participant_id",
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

bool Store::set_participant_lang(const std::string& participant_id, const std::string& lang) {
  bool found = false;
  impl_->write([&](soci::session& sql) {
    soci::statement update = (sql.prepare << "UPDATE participants SET lang = :lang WHERE id = :id",
                              soci::use(lang), soci::use(participant_id));
    update.execute(true);
    found = update.get_affected_rows() > 0;
  });
  return found;
}

}  // namespace cxm::store
