// The one writer of answer rows (store_impl.h): every path that writes
// answers (a link's questionnaire, a workshop seat, a survey import) writes
// them here, in the caller's transaction.
#include <algorithm>

#include "store/store_impl.h"

namespace cxm::store {

namespace {

// One statement for both databases: insert, or replace in place.
constexpr const char* kUpsertTail =
    " ON CONFLICT (participant_id, round, item_id) DO UPDATE SET value = excluded.value, "
    "updated_at = excluded.updated_at";

}  // namespace

AnswerRows::AnswerRows(soci::session& sql)
    : sql_(sql),
      upsert_((sql.prepare << std::string("INSERT INTO answers (participant_id, round, item_id, "
                                          "value, updated_at) VALUES (:p, :r, :i, :v, :t)") +
                                  kUpsertTail,
               soci::use(participant_), soci::use(round_), soci::use(item_),
               soci::use(value_, value_indicator_), soci::use(at_))),
      counted_((sql.prepare << "SELECT COUNT(*) FROM answers WHERE participant_id = :p AND round "
                               "= :r",
                soci::use(participant_), soci::use(round_), soci::into(count_))) {}

AnswerRows& AnswerRows::of(Writer& writer, soci::session& sql) {
  static const char key = 0;
  auto& slot = writer.session_slot(&key);
  if (!slot) slot = std::make_shared<AnswerRows>(sql);
  return *static_cast<AnswerRows*>(slot.get());
}

void AnswerRows::write(const std::string& participant_id, int round,
                       const std::vector<StoredAnswer>& answers, std::int64_t at) {
  participant_ = participant_id;
  round_ = round;
  at_ = at;
  for (const auto& a : answers) {
    item_ = a.item_id;
    value_ = a.value.value_or(0);
    value_indicator_ = a.value ? soci::i_ok : soci::i_null;
    upsert_.execute(true);
  }
}

void AnswerRows::write_many(const std::vector<Of>& participants, std::int64_t at) {
  if (sql_.get_backend_name() != "postgresql") {
    for (const auto& p : participants) write(*p.participant_id, 1, *p.answers, at);
    return;
  }
  std::vector<const std::string*> participant, item;
  std::vector<int> values;
  std::vector<soci::indicator> indicators;
  for (const auto& p : participants) {
    for (const auto& a : *p.answers) {
      participant.push_back(p.participant_id);
      item.push_back(&a.item_id);
      values.push_back(a.value.value_or(0));
      indicators.push_back(a.value ? soci::i_ok : soci::i_null);
    }
  }
  const int first_round = 1;
  const long long when = at;
  insert_rows(
      sql_, "INSERT INTO answers (participant_id, round, item_id, value, updated_at) VALUES ", 5,
      values.size(),
      [&](soci::statement& st, std::size_t i) {
        st.exchange(soci::use(*participant[i]));
        st.exchange(soci::use(first_round));
        st.exchange(soci::use(*item[i]));
        st.exchange(soci::use(values[i], indicators[i]));
        st.exchange(soci::use(when));
      },
      kUpsertTail);
}

std::size_t AnswerRows::count(const std::string& participant_id, int round) {
  participant_ = participant_id;
  round_ = round;
  fetch_one(counted_);
  return static_cast<std::size_t>(count_);
}

void insert_rows(soci::session& sql, const std::string& prefix, std::size_t columns,
                 std::size_t rows, const std::function<void(soci::statement&, std::size_t)>& bind,
                 const std::string& suffix) {
  constexpr std::size_t kRowsPerStatement = 200;
  for (std::size_t first = 0; first < rows; first += kRowsPerStatement) {
    const std::size_t last = std::min(rows, first + kRowsPerStatement);
    std::string query = prefix;
    for (std::size_t i = first; i < last; ++i) {
      query += i == first ? "(" : ", (";
      for (std::size_t c = 0; c < columns; ++c) {
        query += (c ? ", :v" : ":v") + std::to_string((i - first) * columns + c);
      }
      query += ")";
    }
    query += suffix;
    soci::statement st(sql);
    for (std::size_t i = first; i < last; ++i) bind(st, i);
    st.alloc();
    st.prepare(query);
    st.define_and_bind();
    st.execute(true);
  }
}

}  // namespace cxm::store
