// Internal to src/api: who may do what. Each check is written once and
// returns the row it checked or the refusal (api/outcome.h).
//
// A check reads what it needs from the caches (context.h) and, on a miss,
// from the database, which blocks. A deferred handler on the I/O thread,
// which must not block, checks with Lookup::memory first: the same check
// then answers from the caches alone, and when something it needs is not
// cached it holds an empty value instead of an answer (not_in_memory). The
// handler then moves to a worker and checks again with Lookup::database:
//
//   auto caller = require_user(ctx, request, Lookup::memory);
//   if (not_in_memory(caller)) {
//     co_await ex.to_worker();
//     caller = require_user(ctx, request);
//   }
//
// The rules are the same either way; only where the rows come from differs.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "api/context.h"
#include "api/outcome.h"

namespace cxm::api {

// Where a check may read the rows it needs.
enum class Lookup {
  memory,    // the caches alone; never blocks
  database,  // the caches, else the database (kept in the cache); blocks on a miss
};

// True when a check with Lookup::memory could not answer: it holds no
// refusal and an empty value (something it needs is not cached).
template <class T>
bool not_in_memory(Outcome<T>& checked) {
  return checked && !*checked;
}

// One row a check needs, under `key` in `cache`: the cached copy; else,
// with Lookup::database, what `load()` (a std::optional<T>) reads, kept in
// the cache. `row` is empty when there is no such row, and with
// Lookup::memory also when it is not cached (then `missed`).
template <class T>
struct Found {
  std::shared_ptr<const T> row;
  bool missed = false;
};
template <class T, class Load>
Found<T> look_up(TtlCache<T>& cache, const std::string& key, std::int64_t now, Lookup lookup,
                 Load&& load) {
  if (auto cached = cache.get(key, now)) return {std::move(cached)};
  if (lookup == Lookup::memory) return {nullptr, true};
  std::optional<T> loaded = load();
  if (!loaded) return {};
  return {cache.put(key, std::move(*loaded), now)};
}

// The cycle row, from the short-lived cache or the database (as look_up).
Found<store::Cycle> cycle_row(Context& ctx, const std::string& cycle_id, Lookup lookup);
// The same reading the database when need be: nullptr when there is no
// such cycle. Blocks on a cache miss.
inline std::shared_ptr<const store::Cycle> find_cycle(Context& ctx, const std::string& cycle_id) {
  return cycle_row(ctx, cycle_id, Lookup::database).row;
}

// The signed-in caller: 401 without a valid session cookie (none, unknown,
// expired); 403 when a state-changing request lacks the session's CSRF
// token in X-CSRF-Token.
Outcome<std::shared_ptr<const Caller>> require_user(Context& ctx, const http::Request& request,
                                                    Lookup lookup = Lookup::database);

// 403 unless the caller administers the instance: "only an administrator
// " + `what` ("imports benchmark datasets").
Check require_admin(const Caller& caller, const std::string& what);

// The organization, when the caller's role in it is at least `needed`:
// 404 when there is no such organization or the caller has no role in it
// (its existence is not revealed); 403 when their role is below `needed`.
// Admins pass.
Outcome<std::shared_ptr<const store::Organization>> require_org(Context& ctx, const Caller& caller,
                                                                const std::string& org_id,
                                                                OrgRole needed,
                                                                Lookup lookup = Lookup::database);
// The same for the organization owning a cycle: 404 "no such cycle" for
// every reason the organization's would be 404.
Outcome<std::shared_ptr<const store::Cycle>> require_cycle(Context& ctx, const Caller& caller,
                                                           const std::string& cycle_id,
                                                           OrgRole needed,
                                                           Lookup lookup = Lookup::database);

}  // namespace cxm::api
