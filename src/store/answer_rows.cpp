// The one writer of answer rows (store_impl.h): every path that writes
// answers (a link's questionnaire, a workshop seat, a survey import) writes
// them here, in the caller's transaction.
#include <algorithm>
#include <map>
#include <string_view>

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

namespace {

// The statement of write_groups: the rows in, and each group's count of
// answers out (in the order of its keys, as "3,8,1"). Every part of a
// statement reads the snapshot taken before the insert: a group's count is
// that of the items among its rows before and its new rows together (one
// index scan per group, and a hash of the rows: linear in the rows).
constexpr const char* kUpsertGroups =
    "WITH new_rows AS (SELECT * FROM unnest(CAST(:p AS text[]), CAST(:r AS integer[]), "
    "CAST(:i AS text[]), CAST(:v AS integer[]), CAST(:t AS bigint[])) AS n(participant_id, round, "
    "item_id, value, updated_at)), "
    "keys AS (SELECT * FROM unnest(CAST(:kp AS text[]), CAST(:kr AS integer[])) WITH ORDINALITY "
    "AS k(participant_id, round, position)), "
    "written AS (INSERT INTO answers (participant_id, round, item_id, value, updated_at) SELECT "
    "participant_id, round, item_id, value, updated_at FROM new_rows ON CONFLICT (participant_id, "
    "round, item_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at), "
    "counted AS (SELECT participant_id, round, COUNT(*) AS n FROM (SELECT a.participant_id, "
    "a.round, a.item_id FROM keys k JOIN answers a ON a.participant_id = k.participant_id AND "
    "a.round = k.round UNION SELECT participant_id, round, item_id FROM new_rows) AS items GROUP "
    "BY participant_id, round) "
    "SELECT string_agg(CAST(COALESCE(c.n, 0) AS text), ',' ORDER BY k.position) FROM keys k LEFT "
    "JOIN counted c ON c.participant_id = k.participant_id AND c.round = k.round";

void open_array(std::string& out) { out.assign(1, '{'); }
void close_array(std::string& out) {
  if (out.size() == 1)
    out += '}';
  else
    out.back() = '}';
}
template <typename Number>
void append_array_number(std::string& out, Number value) {
  out += std::to_string(value);
  out += ',';
}

}  // namespace

void append_array_text(std::string& out, const std::string& value) {
  out += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += "\",";
}

std::vector<std::size_t> AnswerRows::write_groups(const std::vector<Group>& groups) {
  std::vector<std::size_t> counts;
  if (sql_.get_backend_name() != "postgresql") {
    for (const auto& g : groups) {
      write(*g.participant_id, g.round, *g.answers, g.at);
      counts.push_back(count(*g.participant_id, g.round));
    }
    return counts;
  }
  if (groups.empty()) return counts;
  for (auto* array : {&group_participants_, &group_rounds_, &group_items_, &group_values_,
                      &group_at_, &group_keys_, &group_key_rounds_})
    open_array(*array);
  std::map<std::string_view, const StoredAnswer*> last;  // an item given twice: its last value
  for (const auto& g : groups) {
    append_array_text(group_keys_, *g.participant_id);
    append_array_number(group_key_rounds_, g.round);
    last.clear();
    for (const auto& a : *g.answers) last[a.item_id] = &a;
    for (const auto& [item, answer] : last) {
      append_array_text(group_participants_, *g.participant_id);
      append_array_number(group_rounds_, g.round);
      append_array_text(group_items_, answer->item_id);
      if (answer->value) {
        append_array_number(group_values_, *answer->value);
      } else {
        group_values_ += "NULL,";
      }
      append_array_number(group_at_, static_cast<long long>(g.at));
    }
  }
  for (auto* array : {&group_participants_, &group_rounds_, &group_items_, &group_values_,
                      &group_at_, &group_keys_, &group_key_rounds_})
    close_array(*array);
  if (!upsert_groups_) {
    upsert_groups_ = std::make_unique<soci::statement>(
        (sql_.prepare << kUpsertGroups, soci::use(group_participants_), soci::use(group_rounds_),
         soci::use(group_items_), soci::use(group_values_), soci::use(group_at_),
         soci::use(group_keys_), soci::use(group_key_rounds_), soci::into(group_counts_)));
  }
  group_counts_.clear();
  fetch_one(*upsert_groups_);
  std::size_t at = 0;
  while (counts.size() < groups.size() && at < group_counts_.size()) {
    std::size_t end = group_counts_.find(',', at);
    if (end == std::string::npos) end = group_counts_.size();
    counts.push_back(std::stoul(group_counts_.substr(at, end - at)));
    at = end + 1;
  }
  if (counts.size() != groups.size()) throw StoreError("the answers written were not counted");
  return counts;
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
