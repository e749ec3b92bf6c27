// `cxm demo [--db URL]`: loads a clearly labelled demo organization with
// synthetic answers (two cycles six months apart, 40 respondents each), so
// a new user sees a populated system at once. Nothing here is real data.
#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>

#include "secrets/secrets.h"
#include "cli/common.h"
#include "core/synthetic.h"
#include "model/model_parser.h"
#include "store/store.h"

namespace cxm::cli {
namespace {

constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;

void load_cycle(store::Store& store, const core::Model& model, const std::string& org_id, const std::string& name,
                std::int64_t opened, const core::SyntheticProfile& profile) {
  // Open while the answers go in (the store refuses answers otherwise), then closed.
  store::Cycle cycle{secrets::new_id(), org_id, name, store::CycleStatus::open, std::string(model::default_model_text()), true, 3,
                     opened, opened + 28 * kDay, opened - kDay};
  store.create_cycle(cycle);
  const core::Responses responses = core::synthetic_responses(model, profile);
  std::vector<store::Participant> people;
  std::vector<std::string> hashes;
  for (std::size_t r = 0; r < responses.size(); ++r) {
    const auto& who = responses.respondent(r);
    people.push_back(store::Participant{secrets::new_id(), cycle.id, "", who.role, who.unit, false, std::nullopt, opened, "", std::nullopt});
    hashes.push_back(secrets::token_hash(secrets::random_hex(16)));  // the links are never shown
  }
  store.create_participants(people, hashes);
  for (std::size_t r = 0; r < responses.size(); ++r) {
    std::vector<store::StoredAnswer> answers;
    for (std::size_t i = 0; i < model.items.size(); ++i) {
      const auto v = responses.at(r, i);
      answers.push_back({model.items[i].id, v == core::kMissing ? std::nullopt : std::optional<int>(v)});
    }
    const std::int64_t at = opened + static_cast<std::int64_t>(r % 20) * kDay;
    // Claimed as a participant's browser would, by a secret nobody keeps.
    const std::string claim = secrets::token_hash(secrets::random_hex(16));
    store.claim_link(people[r].id, claim, secrets::token_hash(secrets::random_hex(16)));
    store.save_answers(people[r].id, claim, answers, at);
    store.submit(people[r].id, claim, at);
  }
  store.transition_cycle(cycle.id, store::CycleStatus::open, store::CycleStatus::closed, opened + 28 * kDay);
}

int load_demo(const std::string& db) {
  if (!secrets::init_crypto()) return kExitFailure;
  auto store = open_store(db, 1);
  if (!store) return kExitBadInput;
  try {
    store::User everyone;
    everyone.is_admin = true;
    for (const auto& org : store->organizations_for(everyone)) {
      if (org.demo) {
        std::cout << "The demo organization is already loaded: " << org.name << '\n';
        return kExitOk;
      }
    }
    const auto model = *model::load_default_model().model;
    const std::vector<std::string> units = {"Sales", "Customer Service", "Operations", "Marketing"};
    const std::int64_t now = now_ms();
    store::Organization org{secrets::new_id(), "Northwind Retail (demo, synthetic data)", "Retail", "250–999",
                            units, true, now - 220 * kDay};
    store->create_organization(org, std::nullopt);
    core::SyntheticProfile earlier;
    earlier.maturity = 2.6;
    earlier.units = units;
    earlier.seed = 20260301;
    core::SyntheticProfile later = earlier;
    later.maturity = 3.3;
    later.seed = 20260901;
    load_cycle(*store, model, org.id, "First assessment (demo)", now - 210 * kDay, earlier);
    load_cycle(*store, model, org.id, "Six-month follow-up (demo)", now - 30 * kDay, later);
    std::cout << "Loaded '" << org.name << "': two closed cycles six months apart, 40 synthetic respondents each.\n"
              << "All of it is synthetic demo data.\n";
    return kExitOk;
  } catch (const store::StoreError& e) {
    std::cerr << "cxm: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace

void add_demo_command(CLI::App& app, int* status) {
  auto db = std::make_shared<std::string>("sqlite:data/cxm.db");
  auto* cmd = app.add_subcommand("demo", "Load a labelled demo organization with synthetic answers");
  cmd->add_option("--db", *db, "sqlite:PATH (default sqlite:data/cxm.db) or postgresql://...");
  cmd->callback([status, db] { *status = load_demo(*db); });
}

}  // namespace cxm::cli
