// Live workshops: start, pace, reveal, second round, end, join, and the
// workshop's rules for a seat's answers (written by the one answer job of
// participants.cpp, the round a column of answers).
// Every rule is checked inside the write that depends on it. On PostgreSQL
// the rules that change the workshop lock its row FOR UPDATE and the
// answers and joins that depend on it lock it FOR SHARE, so a reveal
// counts exactly the answers committed before it and every answer
// committed after it sees it (SQLite's writer holds the database's write
// lock for the whole transaction).
#include <algorithm>
#include <sstream>

#include "core/workshop.h"
#include "store/store_impl.h"

namespace cxm::store {
namespace {

constexpr const char* kWorkshopColumns =
    "SELECT id, cycle_id, code, open_code, pace, step_order, round, step, version, created_by, "
    "created_at, ended_at FROM workshops ";

// A round's steps as rows of workshop_steps: one per statement, by step
// and position in the step.
void insert_steps(soci::session& sql, const std::string& workshop_id, int round,
                  const std::vector<std::vector<std::string>>& steps) {
  for (std::size_t s = 0; s < steps.size(); ++s) {
    for (std::size_t i = 0; i < steps[s].size(); ++i) {
      const int step = static_cast<int>(s);
      const int position = static_cast<int>(i);
      sql << "INSERT INTO workshop_steps (workshop_id, round, step, position, item_id) VALUES "
             "(:w, :r, :s, :p, :i)",
          soci::use(workshop_id), soci::use(round), soci::use(step), soci::use(position),
          soci::use(steps[s][i]);
    }
  }
}

// Both rounds' steps of `w`, as written.
void read_steps(soci::session& sql, Workshop& w) {
  w.steps.clear();
  w.second_steps.clear();
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT round, step, item_id FROM workshop_steps WHERE workshop_id = :w "
                      "ORDER BY round, step, position",
       soci::use(w.id));
  for (const auto& row : rows) {
    auto& steps = as_int64(row, 0) == 2 ? w.second_steps : w.steps;
    const auto step = static_cast<std::size_t>(as_int64(row, 1));
    if (steps.size() <= step) steps.resize(step + 1);
    steps[step].push_back(as_text(row, 2));
  }
}

std::string histogram_text(const std::vector<std::size_t>& histogram) {
  std::string out;
  for (std::size_t i = 0; i < histogram.size(); ++i)
    out += (i ? " " : "") + std::to_string(histogram[i]);
  return out;
}

std::vector<std::size_t> histogram_from(const std::string& text) {
  std::vector<std::size_t> out;
  std::stringstream in(text);
  std::size_t n = 0;
  while (in >> n) out.push_back(n);
  return out;
}

Workshop workshop_from(const soci::row& row) {
  Workshop w;
  w.id = as_text(row, 0);
  w.cycle_id = as_text(row, 1);
  w.code = as_text(row, 2);
  w.open = row.get_indicator(3) != soci::i_null;
  w.pace = core::pace_from(as_text(row, 4)).value_or(core::Pace::statement);
  w.step_order = core::step_order_from(as_text(row, 5)).value_or(core::StepOrder::model);
  w.round = static_cast<int>(as_int64(row, 6));
  w.step = static_cast<int>(as_int64(row, 7));
  w.version = as_int64(row, 8);
  w.created_by = as_text(row, 9);
  w.created_at = as_int64(row, 10);
  w.ended_at = as_optional_int64(row, 11);
  return w;
}

std::optional<Workshop> first_workshop(soci::session& sql, const std::string& where,
                                       const std::string& value, const char* lock = "") {
  std::optional<Workshop> found;
  {
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kWorkshopColumns) + where + lock, soci::use(value));
    for (const auto& row : rows) {
      found = workshop_from(row);
      break;
    }
  }
  if (found) read_steps(sql, *found);
  return found;
}

bool on_screen(const Workshop& w, const std::string& item_id) {
  const auto& steps = w.round_steps();
  if (w.step < 0 || static_cast<std::size_t>(w.step) >= steps.size()) return false;
  const auto& now = steps[static_cast<std::size_t>(w.step)];
  return std::find(now.begin(), now.end(), item_id) != now.end();
}

bool is_revealed(soci::session& sql, const std::string& workshop_id, int round,
                 const std::string& item_id) {
  int found = 0;
  sql << "SELECT COUNT(*) FROM workshop_reveals WHERE workshop_id = :w AND round = :r AND item_id "
         "= :i",
      soci::use(workshop_id), soci::use(round), soci::use(item_id), soci::into(found);
  return found != 0;
}

// The joined people's answers to one statement in one round.
std::vector<std::optional<int>> round_values(soci::session& sql, const std::string& workshop_id,
                                             int round, const std::string& item_id) {
  std::vector<std::optional<int>> out;
  soci::rowset<soci::row> rows =
      (sql.prepare
           << "SELECT a.value FROM answers a JOIN participants p ON p.id = a.participant_id "
              "WHERE p.workshop_id = :w AND p.revoked = 0 AND a.round = :r AND a.item_id "
              "= :i",
       soci::use(workshop_id), soci::use(round), soci::use(item_id));
  for (const auto& row : rows) {
    const auto v = as_optional_int64(row, 0);
    out.push_back(v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt);
  }
  return out;
}

// What the reveal rule counts of a statement's answers in a round: one per
// device that joined, none from a phone a member of the organization
// joined (the facilitator knows those answers).
std::size_t independent_answers(soci::session& sql, const std::string& workshop_id, int round,
                                const std::string& item_id) {
  long long n = 0;
  sql << "SELECT COUNT(DISTINCT COALESCE(p.device_hash, p.id)) FROM answers a JOIN participants p "
         "ON p.id = a.participant_id WHERE p.workshop_id = :w AND p.revoked = 0 AND "
         "p.joined_by_member = 0 AND a.round = :r AND a.item_id = :i",
      soci::use(workshop_id), soci::use(round), soci::use(item_id), soci::into(n);
  return static_cast<std::size_t>(n);
}

void changed(const Store::Impl& impl, soci::session& sql, const std::string& id) {
  sql << "UPDATE workshops SET version = version + 1 WHERE id = :id", soci::use(id);
  impl.announce(sql, ChangeKind::workshop, id);
}

}  // namespace

WorkshopStart Store::start_workshop(const Workshop& w, const AuditEntry& audit) {
  WorkshopStart outcome = WorkshopStart::cycle_not_open;
  impl_->write([&](soci::session& sql) {
    std::string status;
    soci::indicator none = soci::i_ok;
    sql << std::string("SELECT status FROM cycles WHERE id = :c") +
               (impl_->postgresql() ? " FOR UPDATE" : ""),
        soci::use(w.cycle_id), soci::into(status, none);
    if (!sql.got_data() || none == soci::i_null || cycle_status_from(status) != CycleStatus::open) {
      outcome = WorkshopStart::cycle_not_open;
      return;
    }
    int open = 0;
    sql << "SELECT COUNT(*) FROM workshops WHERE cycle_id = :c AND open_code IS NOT NULL",
        soci::use(w.cycle_id), soci::into(open);
    if (open != 0) {
      outcome = WorkshopStart::already_open;
      return;
    }
    int taken = 0;
    sql << "SELECT COUNT(*) FROM workshops WHERE open_code = :code", soci::use(w.code),
        soci::into(taken);
    if (taken != 0) {
      outcome = WorkshopStart::code_taken;
      return;
    }
    const std::string pace = core::to_string(w.pace);
    const std::string order = core::to_string(w.step_order);
    sql << "INSERT INTO workshops (id, cycle_id, code, open_code, pace, step_order, round, step, "
           "version, created_by, created_at) VALUES (:id, :c, :code, :open, :pace, :ord, 1, 0, 1, "
           ":by, :at)",
        soci::use(w.id), soci::use(w.cycle_id), soci::use(w.code), soci::use(w.code),
        soci::use(pace), soci::use(order), soci::use(w.created_by),
        soci::use(static_cast<long long>(w.created_at));
    insert_steps(sql, w.id, 1, w.steps);
    impl_->announce(sql, ChangeKind::workshop, w.id);
    outcome = WorkshopStart::started;
    Impl::record_audit(sql, audit);
  });
  return outcome;
}

std::optional<Workshop> Store::find_workshop(const std::string& id) {
  return impl_->read([&](soci::session& sql) { return first_workshop(sql, "WHERE id = :v", id); });
}

std::vector<Workshop> Store::workshops_of(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    std::vector<Workshop> out;
    {
      soci::rowset<soci::row> rows =
          (sql.prepare << std::string(kWorkshopColumns) +
                              "WHERE cycle_id = :c ORDER BY created_at, id",
           soci::use(cycle_id));
      for (const auto& row : rows) out.push_back(workshop_from(row));
    }
    for (auto& w : out) read_steps(sql, w);
    return out;
  });
}

std::optional<Workshop> Store::open_workshop_of(const std::string& cycle_id) {
  return impl_->read([&](soci::session& sql) {
    return first_workshop(sql, "WHERE cycle_id = :v AND open_code IS NOT NULL", cycle_id);
  });
}

WorkshopChange Store::set_workshop_step(const std::string& id, int round, int step) {
  WorkshopChange outcome = WorkshopChange::not_found;
  impl_->write([&](soci::session& sql) {
    const auto w =
        first_workshop(sql, "WHERE id = :v", id, impl_->postgresql() ? " FOR UPDATE" : "");
    if (!w) {
      outcome = WorkshopChange::not_found;
    } else if (!w->open) {
      outcome = WorkshopChange::ended;
    } else if (w->round != round || step < 0 ||
               static_cast<std::size_t>(step) >= w->round_steps().size()) {
      outcome = WorkshopChange::conflict;
    } else {
      sql << "UPDATE workshops SET step = :s WHERE id = :id", soci::use(step), soci::use(id);
      changed(*impl_, sql, id);
      outcome = WorkshopChange::done;
    }
  });
  return outcome;
}

RevealResult Store::reveal_statement(const std::string& id, int round, const std::string& item_id,
                                     int scale_min, int scale_max, std::int64_t now,
                                     const AuditEntry& audit) {
  RevealResult result;
  impl_->write([&](soci::session& sql) {
    result = RevealResult{};
    const auto w =
        first_workshop(sql, "WHERE id = :v", id, impl_->postgresql() ? " FOR UPDATE" : "");
    if (!w) return;
    sql << "SELECT min_group_size FROM cycles WHERE id = :c", soci::use(w->cycle_id),
        soci::into(result.min_group_size);
    if (!w->open) {
      result.outcome = RevealOutcome::ended;
      return;
    }
    if (w->round != round || !on_screen(*w, item_id)) {
      result.outcome = RevealOutcome::not_current;
      return;
    }
    std::vector<std::size_t> histogram(
        static_cast<std::size_t>(std::max(scale_max - scale_min + 1, 0)), 0);
    std::size_t dont_know = 0;
    for (const auto& v : round_values(sql, id, round, item_id)) {
      ++result.answered;
      if (!v) {
        ++dont_know;
      } else if (*v >= scale_min && *v <= scale_max) {
        ++histogram[static_cast<std::size_t>(*v - scale_min)];
      }
    }
    if (is_revealed(sql, id, round, item_id)) {
      result.outcome = RevealOutcome::already_revealed;
      return;
    }
    result.counted = independent_answers(sql, id, round, item_id);
    if (!core::can_reveal(result.counted, result.min_group_size)) {
      result.outcome = RevealOutcome::too_few_answers;
      return;
    }
    const std::string frozen = histogram_text(histogram);
    const auto unsure = static_cast<int>(dont_know);
    sql << "INSERT INTO workshop_reveals (workshop_id, round, item_id, histogram, dont_know, "
           "revealed_at) "
           "VALUES (:w, :r, :i, :h, :d, :t)",
        soci::use(id), soci::use(round), soci::use(item_id), soci::use(frozen), soci::use(unsure),
        soci::use(static_cast<long long>(now));
    changed(*impl_, sql, id);
    result.outcome = RevealOutcome::revealed;
    Impl::record_audit(sql, audit);
  });
  return result;
}

WorkshopChange Store::start_second_round(const std::string& id,
                                         const std::vector<std::vector<std::string>>& steps,
                                         const AuditEntry& audit) {
  WorkshopChange outcome = WorkshopChange::not_found;
  impl_->write([&](soci::session& sql) {
    const auto w =
        first_workshop(sql, "WHERE id = :v", id, impl_->postgresql() ? " FOR UPDATE" : "");
    if (!w) {
      outcome = WorkshopChange::not_found;
    } else if (!w->open) {
      outcome = WorkshopChange::ended;
    } else if (w->round != 1 || steps.empty()) {
      outcome = WorkshopChange::conflict;
    } else {
      sql << "UPDATE workshops SET round = 2, step = 0 WHERE id = :id", soci::use(id);
      // A second round started again replaces the steps of the one before.
      sql << "DELETE FROM workshop_steps WHERE workshop_id = :id AND round = 2", soci::use(id);
      insert_steps(sql, id, 2, steps);
      changed(*impl_, sql, id);
      Impl::record_audit(sql, audit);
      outcome = WorkshopChange::done;
    }
  });
  return outcome;
}

WorkshopChange Store::return_to_first_round(const std::string& id, const AuditEntry& audit) {
  WorkshopChange outcome = WorkshopChange::not_found;
  impl_->write([&](soci::session& sql) {
    const auto w =
        first_workshop(sql, "WHERE id = :v", id, impl_->postgresql() ? " FOR UPDATE" : "");
    if (!w) {
      outcome = WorkshopChange::not_found;
    } else if (!w->open) {
      outcome = WorkshopChange::ended;
    } else if (w->round != 2 || w->steps.empty()) {
      outcome = WorkshopChange::conflict;
    } else {
      // Where the first round stood: the furthest step with a reveal.
      int furthest = -1;
      bool all_revealed = false;
      for (std::size_t s = 0; s < w->steps.size(); ++s) {
        std::size_t shown = 0;
        for (const auto& item : w->steps[s]) shown += is_revealed(sql, id, 1, item) ? 1 : 0;
        if (shown > 0) {
          furthest = static_cast<int>(s);
          all_revealed = shown == w->steps[s].size();
        }
      }
      int step = std::max(furthest, 0);
      if (all_revealed && static_cast<std::size_t>(furthest + 1) < w->steps.size()) ++step;
      sql << "UPDATE workshops SET round = 1, step = :s WHERE id = :id", soci::use(step),
          soci::use(id);
      changed(*impl_, sql, id);
      Impl::record_audit(sql, audit);
      outcome = WorkshopChange::done;
    }
  });
  return outcome;
}

WorkshopChange Store::end_workshop(const std::string& id, std::int64_t now,
                                   const AuditEntry& audit) {
  WorkshopChange outcome = WorkshopChange::not_found;
  impl_->write([&](soci::session& sql) {
    const long long at = now;  // bound by reference: must outlive the statement
    soci::statement st =
        (sql.prepare << "UPDATE workshops SET open_code = NULL, ended_at = :t WHERE id = :id AND "
                        "open_code IS NOT NULL",
         soci::use(at), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() == 1) {
      changed(*impl_, sql, id);
      Impl::record_audit(sql, audit);
      outcome = WorkshopChange::done;
      return;
    }
    int found = 0;
    sql << "SELECT COUNT(*) FROM workshops WHERE id = :id", soci::use(id), soci::into(found);
    outcome = found ? WorkshopChange::ended : WorkshopChange::not_found;
  });
  return outcome;
}

JoinResult Store::join_workshop(const std::string& code, Participant p, const Joiner& joiner,
                                const std::string& token_hash, const std::string& claim_hash) {
  JoinResult result;
  impl_->write_for(p.id, [&](soci::session& sql) {
    result = JoinResult{};
    const auto w =
        first_workshop(sql, "WHERE open_code = :v", code, impl_->postgresql() ? " FOR SHARE" : "");
    if (!w) return;
    std::string status;
    sql << std::string("SELECT status FROM cycles WHERE id = :c") +
               (impl_->postgresql() ? " FOR SHARE" : ""),
        soci::use(w->cycle_id), soci::into(status);
    if (cycle_status_from(status) != CycleStatus::open) {
      result.outcome = JoinOutcome::cycle_not_open;
      return;
    }
    p.cycle_id = w->cycle_id;
    // A member of the organization (or an administrator) joining a phone:
    // its answers are shown but never count towards a reveal.
    int by_member = joiner.is_admin ? 1 : 0;
    if (!joiner.user_id.empty() && by_member == 0) {
      sql << "SELECT COUNT(*) FROM memberships m JOIN cycles c ON c.org_id = m.org_id WHERE c.id "
             "= :c AND m.user_id = :u",
          soci::use(p.cycle_id), soci::use(joiner.user_id), soci::into(by_member);
    }
    by_member = by_member > 0 ? 1 : 0;
    if (!joiner.device_hash.empty()) {
      std::string seat;
      soci::indicator found = soci::i_null;
      sql << "SELECT id FROM participants WHERE workshop_id = :w AND device_hash = :d AND revoked "
             "= 0",
          soci::use(w->id), soci::use(joiner.device_hash), soci::into(seat, found);
      if (sql.got_data() && found == soci::i_ok) {
        sql << "UPDATE participants SET token_hash = :t, claim_hash = :c, joined_by_member = "
               "CASE WHEN joined_by_member = 1 OR :m = 1 THEN 1 ELSE 0 END WHERE id = :id",
            soci::use(token_hash), soci::use(claim_hash), soci::use(by_member), soci::use(seat);
        result = JoinResult{JoinOutcome::joined, w->id, w->cycle_id, true};
        return;
      }
    }
    soci::indicator device = joiner.device_hash.empty() ? soci::i_null : soci::i_ok;
    sql << "INSERT INTO participants (id, cycle_id, token_hash, label, role, unit, revoked, "
           "created_at, claim_hash, workshop_id, device_hash, joined_by_member) VALUES (:id, "
           ":cycle, :token, :label, :role, :unit, 0, :created, :claim, :w, :device, :member)",
        soci::use(p.id), soci::use(p.cycle_id), soci::use(token_hash), soci::use(p.label),
        soci::use(p.role), soci::use(p.unit), soci::use(static_cast<long long>(p.created_at)),
        soci::use(claim_hash), soci::use(w->id), soci::use(joiner.device_hash, device),
        soci::use(by_member);
    impl_->announce(sql, ChangeKind::workshop, w->id);
    result = JoinResult{JoinOutcome::joined, w->id, w->cycle_id};
  });
  return result;
}

LinkRefusal workshop_answer_refusal(const Store::Impl& impl, soci::session& sql,
                                    const std::string& workshop_id,
                                    const std::string& participant_id, int round,
                                    const std::vector<StoredAnswer>& answers) {
  const auto w =
      first_workshop(sql, "WHERE id = :v", workshop_id, impl.postgresql() ? " FOR SHARE" : "");
  if (!w || !w->open) return LinkRefusal::workshop_ended;
  if (w->round != round) return LinkRefusal::wrong_round;
  for (const auto& a : answers) {
    if (!on_screen(*w, a.item_id)) return LinkRefusal::not_current;
    if (is_revealed(sql, w->id, round, a.item_id)) return LinkRefusal::revealed;
    if (round > 1) {
      int first = 0;
      sql << "SELECT COUNT(*) FROM answers WHERE participant_id = :p AND round = 1 AND item_id = "
             ":i",
          soci::use(participant_id), soci::use(a.item_id), soci::into(first);
      if (first == 0) return LinkRefusal::not_in_first_round;
    }
  }
  return LinkRefusal::none;
}

std::vector<StoredAnswer> Store::workshop_answers_of(const std::string& participant_id, int round) {
  return impl_->read([&](soci::session& sql) {
    std::vector<StoredAnswer> out;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT item_id, value FROM answers WHERE participant_id = :p AND round = "
                        ":r",
         soci::use(participant_id), soci::use(round));
    for (const auto& row : rows) {
      StoredAnswer a{as_text(row, 0), std::nullopt};
      if (const auto v = as_optional_int64(row, 1)) a.value = static_cast<int>(*v);
      out.push_back(std::move(a));
    }
    return out;
  });
}

std::vector<WorkshopCount> Store::workshop_answer_counts(const std::string& workshop_id,
                                                         int round) {
  return impl_->read([&](soci::session& sql) {
    std::vector<WorkshopCount> out;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT a.item_id, COUNT(*) FROM answers a JOIN participants p ON p.id = "
                        "a.participant_id WHERE p.workshop_id = :w AND p.revoked = 0 AND a.round "
                        "= :r GROUP BY a.item_id",
         soci::use(workshop_id), soci::use(round));
    for (const auto& row : rows) {
      out.push_back(WorkshopCount{as_text(row, 0), static_cast<std::size_t>(as_int64(row, 1))});
    }
    return out;
  });
}

std::vector<WorkshopReveal> Store::workshop_reveals(const std::string& workshop_id) {
  return impl_->read([&](soci::session& sql) {
    std::vector<WorkshopReveal> out;
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT round, item_id, histogram, dont_know, revealed_at FROM workshop_reveals "
                "WHERE workshop_id = :w ORDER BY round, revealed_at, item_id",
         soci::use(workshop_id));
    for (const auto& row : rows) {
      out.push_back(WorkshopReveal{static_cast<int>(as_int64(row, 0)), as_text(row, 1),
                                   histogram_from(as_text(row, 2)),
                                   static_cast<std::size_t>(as_int64(row, 3)), as_int64(row, 4)});
    }
    return out;
  });
}

std::size_t Store::workshop_joined(const std::string& workshop_id) {
  return impl_->read([&](soci::session& sql) {
    long long n = 0;
    sql << "SELECT COUNT(*) FROM participants WHERE workshop_id = :w AND revoked = 0",
        soci::use(workshop_id), soci::into(n);
    return static_cast<std::size_t>(n);
  });
}

}  // namespace cxm::store
