// Internal to src/api: who may do what. Each check returns the row it
// checked or the refusal (api/outcome.h); the cached_ variants answer from
// memory alone, for a deferred handler on the I/O thread, and hold a
// nullptr when something they need is not cached (the handler then moves
// to a worker and asks the require_ variant).
#pragma once

#include <memory>
#include <string>

#include "api/context.h"
#include "api/outcome.h"

namespace cxm::api {

// The cycle row, from the short-lived cache or the database; nullptr when
// there is none. Blocks on a cache miss.
std::shared_ptr<const store::Cycle> find_cycle(Context& ctx, const std::string& cycle_id);

// 401 without a valid session cookie; 403 when a state-changing request
// lacks the session's CSRF token in X-CSRF-Token. Blocks on a cache miss.
Outcome<std::shared_ptr<const Caller>> require_user(Context& ctx, const http::Request& request);
// The same from memory alone: nullptr when the session is not cached.
Outcome<std::shared_ptr<const Caller>> cached_user(Context& ctx, const http::Request& request);

// 404 when the caller has no access to the organization (its existence is
// not revealed); 403 when their role is below `needed`. Admins pass.
// Blocks on a cache miss.
Outcome<std::shared_ptr<const store::Organization>> require_org(Context& ctx, const Caller& caller,
                                                                const std::string& org_id,
                                                                OrgRole needed);
// The same for the organization owning a cycle (404 "no such cycle").
Outcome<std::shared_ptr<const store::Cycle>> require_cycle(Context& ctx, const Caller& caller,
                                                           const std::string& cycle_id,
                                                           OrgRole needed);
// require_cycle from memory alone: nullptr when anything it needs is not cached.
Outcome<std::shared_ptr<const store::Cycle>> cached_cycle(Context& ctx, const Caller& caller,
                                                          const std::string& cycle_id,
                                                          OrgRole needed);

}  // namespace cxm::api
