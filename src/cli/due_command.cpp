// `cxm due --db URL [--json]`: every organization with its last closed
// cycle, when the next cycle is due (its review interval after that close,
// six months unless the organization changed it) and whether it is
// overdue. Reads the database only; exit status 0 whatever is due.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "core/calendar.h"
#include "store/store.h"

namespace cxm::cli {
namespace {

using nlohmann::json;

struct DueOptions {
  std::string db = "sqlite:data/cxm.db";
  bool json = false;
};

// "due", "overdue", or "no closed cycle" (nothing to count from yet).
json due_entry(const store::Organization& org, const store::OrgCycleSummary* cycles,
               std::int64_t now) {
  json e = {{"id", org.id},
            {"name", org.name},
            {"demo", org.demo},
            {"review_interval_months", org.review_interval_months},
            {"last_closed", nullptr},
            {"next_due", nullptr},
            {"status", "no closed cycle"}};
  if (!cycles || !cycles->last_closed) return e;
  const store::Cycle& c = *cycles->last_closed;
  const core::CycleDue due = core::next_cycle_due(*c.closed_at, org.review_interval_months, now);
  e["last_closed"] = {{"id", c.id}, {"name", c.name}, {"closed_on", core::utc_date(*c.closed_at)}};
  e["next_due"] = due.next_due;
  e["status"] = due.overdue ? "overdue" : "due";
  return e;
}

int list_due(const DueOptions& options) {
  auto store = open_store(options.db, 1);
  if (!store) return kExitBadInput;
  try {
    store::User everyone;
    everyone.is_admin = true;
    const std::int64_t now = now_ms();
    std::map<std::string, store::OrgCycleSummary> summaries;
    for (auto& s : store::summarize_cycles(store->cycles_for(everyone)))
      summaries.emplace(s.org_id, std::move(s));
    json list = json::array();
    for (const auto& org : store->organizations_for(everyone)) {
      const auto s = summaries.find(org.id);
      list.push_back(due_entry(org, s == summaries.end() ? nullptr : &s->second, now));
    }
    if (options.json) {
      std::cout << json{{"today", core::utc_date(now)}, {"organizations", list}}.dump(2) << '\n';
      return kExitOk;
    }
    if (list.empty()) std::cout << "No organizations.\n";
    for (const auto& e : list) {
      std::cout << e["name"].get<std::string>() << '\n';
      if (e["last_closed"].is_null()) {
        std::cout << "  no closed cycle yet\n";
        continue;
      }
      std::cout << "  last closed: " << e["last_closed"]["name"].get<std::string>() << " ("
                << e["last_closed"]["closed_on"].get<std::string>() << ")\n"
                << "  next due:    " << e["next_due"].get<std::string>() << " ("
                << e["review_interval_months"].get<int>() << " months later)"
                << (e["status"] == "overdue" ? "  OVERDUE" : "") << '\n';
    }
    return kExitOk;
  } catch (const store::StoreError& e) {
    std::cerr << "cxm: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace

void add_due_command(CLI::App& app, int* status) {
  auto options = std::make_shared<DueOptions>();
  auto* cmd = app.add_subcommand(
      "due", "List organizations with their last closed cycle and when the next is due");
  cmd->add_option("--db", options->db,
                  "sqlite:PATH (default sqlite:data/cxm.db) or postgresql://...");
  cmd->add_flag("--json", options->json,
                "Print JSON: {today, organizations:[{id, name, last_closed, next_due, status}]}");
  cmd->callback([status, options] { *status = list_due(*options); });
}

}  // namespace cxm::cli
