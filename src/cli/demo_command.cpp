// `cxm demo [--db URL]`: loads a clearly labelled demo organization with
// synthetic answers (three cycles six months apart, 40 respondents each,
// synthetic comments and an action plan worked on since the second) and
// synthetic customer metrics beside them, so a new user sees a populated
// system, a trend and the outside-in view at once. Nothing here is real data.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

#include "cli/common.h"
#include "core/calendar.h"
#include "core/customer_metrics.h"
#include "core/synthetic.h"
#include "model/model_parser.h"
#include "model/translation_parser.h"
#include "peers/ratings_dataset.h"
#include "secrets/secrets.h"
#include "store/store.h"

namespace cxm::cli {
namespace {

constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;

// Synthetic comments, labelled as such, on three competencies: every third
// respondent writes one (at most five a competency, each text once a
// cycle), so each of these competencies has at least k commenters and shows
// them once released; the others show why not.
struct DemoComments {
  const char* competency;
  std::vector<const char*> texts;
};
const DemoComments kDemoComments[] = {
    {"leadership",
     {"Our leaders talk about customers at every town hall, but budgets still go to other "
      "things first. (demo)",
      "I have never seen a senior leader listen to a customer call. (demo)",
      "The new customer goals are a good start; they need to reach our department's plan too. "
      "(demo)",
      "Each director still has a different idea of what a good customer experience is. (demo)",
      "Tell us which customer problem the leadership team wants fixed first this year. (demo)"}},
    {"operations",
     {"When a problem involves billing and delivery, customers are passed back and forth. (demo)",
      "We fix the same complaints every month instead of changing the process. (demo)",
      "Being allowed to refund small amounts on the spot has made a real difference. (demo)",
      "Customers wait three days for a callback that takes two minutes. (demo)",
      "Our order form asks for the same details twice. (demo)"}},
    {"people",
     {"Training covers our systems well but says little about how customers feel. (demo)",
      "Coaching depends entirely on which team lead you have. (demo)",
      "Colleagues who never meet customers would learn a lot from a day on the phones. (demo)",
      "Nobody is ever thanked for a customer who comes back. (demo)",
      "We need more time with each customer, not more scripts. (demo)"}},
};

std::vector<store::StoredComment> demo_comments(const core::Model& model, std::size_t respondent,
                                                std::size_t seed) {
  if (respondent % 3 != 0) return {};
  const std::size_t slot = respondent / 3;
  const DemoComments& pick = kDemoComments[slot % std::size(kDemoComments)];
  const auto c = model.find_competency(pick.competency);
  if (!c || model.competencies[*c].comment.empty()) return {};
  const char* text = pick.texts[(slot / std::size(kDemoComments) + seed) % pick.texts.size()];
  return {{pick.competency, text, secrets::new_id()}};
}

std::string load_cycle(store::Store& store, const core::Model& model, const std::string& org_id,
                       const std::string& name, std::int64_t opened,
                       const core::SyntheticProfile& profile) {
  // Open while the answers go in (the store refuses answers otherwise), then closed.
  store::Cycle cycle{secrets::new_id(),
                     org_id,
                     name,
                     store::CycleStatus::open,
                     std::string(model::default_model_text()),
                     true,
                     3,
                     opened,
                     opened + 28 * kDay,
                     opened - kDay};
  // Its model's translations, as a cycle made in the application keeps
  // them; the demo's cycles offer every one (their synthetic answers carry
  // no language: they count under the default, English).
  for (const auto& t : model::default_translations()) {
    cycle.translation_yamls.emplace(std::string(t.language), std::string(t.text));
    cycle.languages.push_back(std::string(t.language));
  }
  store.create_cycle(cycle);
  const core::Responses responses = core::synthetic_responses(model, profile);
  std::vector<store::Participant> people;
  std::vector<std::string> hashes;
  for (std::size_t r = 0; r < responses.size(); ++r) {
    const auto& who = responses.respondent(r);
    people.push_back(store::Participant{secrets::new_id(), cycle.id, "", who.role, who.unit, false,
                                        std::nullopt, opened, "", std::nullopt});
    hashes.push_back(secrets::token_hash(secrets::random_hex(16)));  // the links are never shown
  }
  store.create_participants(people, hashes);
  for (std::size_t r = 0; r < responses.size(); ++r) {
    std::vector<store::StoredAnswer> answers;
    for (std::size_t i = 0; i < model.items.size(); ++i) {
      const auto v = responses.at(r, i);
      answers.push_back(
          {model.items[i].id, v == core::kMissing ? std::nullopt : std::optional<int>(v)});
    }
    const std::int64_t at = opened + static_cast<std::int64_t>(r % 20) * kDay;
    // Claimed as a participant's browser would, by a secret nobody keeps.
    const std::string claim = secrets::token_hash(secrets::random_hex(16));
    store.claim_link(people[r].id, claim, secrets::token_hash(secrets::random_hex(16)));
    store.save_answers(people[r].id, claim, answers, at, demo_comments(model, r, profile.seed));
    store.submit(people[r].id, claim, at);
  }
  store.transition_cycle(cycle.id, store::CycleStatus::open, store::CycleStatus::closed,
                         opened + 28 * kDay);
  return cycle.id;
}

// A demo action plan drafted from the second cycle and worked on since:
// done, in progress, planned and one dropped, each with its history.
void load_actions(store::Store& store, const std::string& org_id, const std::string& cycle_id,
                  std::int64_t drafted, std::int64_t now) {
  struct DemoAction {
    core::PlanActionKind kind;
    const char* title;
    const char* competency;
    int target_stage;
    const char* owner;
    int due_in_days;  // from now; negative: in the past
    store::ActionStatus status;
  };
  const DemoAction actions[] = {
      {core::PlanActionKind::obstacle, "Name an executive owner for customer experience (demo)", "",
       4, "Chief Executive (demo)", -120, store::ActionStatus::done},
      {core::PlanActionKind::gap, "Publish one customer journey map for the sales process (demo)",
       "insight", 4, "Head of Sales (demo)", -60, store::ActionStatus::done},
      {core::PlanActionKind::gap, "Review complaint themes monthly with the operations team (demo)",
       "operations", 4, "Operations Lead (demo)", 45, store::ActionStatus::in_progress},
      {core::PlanActionKind::gap, "Add customer effort to the service dashboard (demo)", "metrics",
       4, "CX Analyst (demo)", 75, store::ActionStatus::in_progress},
      {core::PlanActionKind::gap, "Train team leads to coach on customer calls (demo)", "people", 4,
       "HR Partner (demo)", 120, store::ActionStatus::planned},
      {core::PlanActionKind::gap, "Rewrite the brand promise with customer quotes (demo)", "brand",
       4, "Marketing Lead (demo)", 0, store::ActionStatus::dropped},
  };
  const std::string system = "demo";
  for (const auto& d : actions) {
    store::Action a;
    a.id = secrets::new_id();
    a.org_id = org_id;
    a.cycle_id = cycle_id;
    a.kind = d.kind;
    a.title = d.title;
    a.reason = "Synthetic demo action: drafted from the six-month follow-up's results.";
    a.competency = d.competency;
    a.target_stage = d.target_stage;
    a.owner = d.owner;
    if (d.due_in_days != 0) a.due = core::utc_date(now + d.due_in_days * kDay);
    a.status = store::ActionStatus::planned;
    a.created_at = a.updated_at = drafted;
    store.create_action(a, store::StatusChange{std::nullopt, store::ActionStatus::planned, system,
                                               "Demo facilitator", drafted});
    if (d.status == store::ActionStatus::planned) continue;
    // Worked on since: the status changes as a facilitator makes them.
    std::int64_t at = drafted + 14 * kDay;
    store::ActionStatus from = store::ActionStatus::planned;
    std::vector<store::ActionStatus> steps;
    if (d.status == store::ActionStatus::done)
      steps = {store::ActionStatus::in_progress, store::ActionStatus::done};
    else
      steps = {d.status};
    for (const auto to : steps) {
      a.status = to;
      a.updated_at = at;
      store.update_action(a, a.version,
                          store::StatusChange{from, to, system, "Demo facilitator", at});
      ++a.version;
      from = to;
      at += 30 * kDay;
    }
  }
}

// Synthetic customer metrics, labelled as such wherever shown: NPS for the
// whole organization every month, NPS per unit in the month each cycle
// opened (three cycles x four units: enough unit-periods for a
// correlation), and CSAT at the end of each quarter. They rise loosely with
// the demo's maturity (2.3 at the first cycle, 3.3 at the last), plus a
// fixed wobble, so that they look like figures and are the same on every
// run for the same months.
constexpr const char* kDemoMetricSource = "Synthetic demo figures (cxm demo)";

// -4..4, fixed for `i`.
int wobble(std::uint32_t i) { return static_cast<int>(((i + 1) * 2654435761u >> 13) % 9) - 4; }

// The demo's maturity at `ms`: 2.3 when the first cycle opened, 3.3 when
// the last did, in a straight line (a little beyond at either end).
double demo_maturity(std::int64_t ms, std::int64_t first_opened, std::int64_t last_opened) {
  double t =
      static_cast<double>(ms - first_opened) / static_cast<double>(last_opened - first_opened);
  t = std::clamp(t, -0.1, 1.1);
  return 2.3 + t;
}

// "YYYY-MM" of `ms`, and the month after a "YYYY-MM".
std::string month_of(std::int64_t ms) { return core::utc_date(ms).substr(0, 7); }
std::string next_month(const std::string& month) {
  const auto after = static_cast<core::Day>(core::parse_period(month)->last + 1);
  return core::to_text(core::Period{after, after, true});
}

void load_customer_metrics(store::Store& store, const store::Organization& org,
                           const std::vector<std::int64_t>& cycles_opened, std::int64_t now) {
  const std::int64_t first = cycles_opened.front(), last = cycles_opened.back();
  auto figure = [](const char* metric, std::string period, std::string unit, double value,
                   std::int64_t respondents) {
    return core::CustomerFigure{
        metric, std::move(period), std::move(unit), value, respondents, kDemoMetricSource, true};
  };
  std::vector<core::CustomerFigure> figures;
  std::uint32_t i = 0;
  // Every month from the organization's first to the last full one.
  for (std::string month = month_of(org.created_at); month < month_of(now);
       month = next_month(month), ++i) {
    const auto period = *core::parse_period(month);
    const std::int64_t middle = (static_cast<std::int64_t>(period.first) + 14) * kDay;
    const double maturity = demo_maturity(middle, first, last);
    figures.push_back(figure("nps", month, "", std::round(-8 + 22 * (maturity - 2.3)) + wobble(i),
                             300 + (i * 37) % 120));
    if (month.substr(5) == "03" || month.substr(5) == "06" || month.substr(5) == "09" ||
        month.substr(5) == "12") {
      figures.push_back(
          figure("csat", month, "",
                 std::round(10 * (68 + 10 * (maturity - 2.3))) / 10 + wobble(i + 50) / 2.0,
                 150 + (i * 53) % 100));
    }
  }
  // Each unit's NPS in the month each cycle opened.
  const std::vector<std::pair<std::string, int>> units = {
      {"Sales", 6}, {"Customer Service", -9}, {"Operations", -4}, {"Marketing", 3}};
  for (const std::int64_t opened : cycles_opened) {
    const double maturity = demo_maturity(opened, first, last);
    for (const auto& [unit, offset] : units) {
      ++i;
      figures.push_back(figure("nps", month_of(opened), unit,
                               std::round(-8 + 22 * (maturity - 2.3)) + offset + wobble(i) / 2,
                               60 + (i * 29) % 60));
    }
  }
  const auto stored = store.import_customer_metrics(org.id, {}, figures);
  if (stored.outcome != store::MetricsImportOutcome::imported)
    throw store::StoreError("the demo's customer metrics were refused: " + stored.detail);
}

// A made-up customer-ratings dataset to place the demo organization
// (Retail) among: 30 pseudonymous retailers' NPS for 2025 and 2026,
// deterministic, labelled synthetic in its name, flag and citation. Loaded
// once: not again while a dataset of that name exists.
void load_demo_ratings(store::Store& store, std::int64_t now) {
  const std::string name = "Retail customer ratings (demo, synthetic data)";
  for (const auto& d : store.ratings_datasets()) {
    if (d.name == name) return;
  }
  std::vector<core::CustomerRating> rows;
  for (int i = 1; i <= 30; ++i) {
    const std::string company =
        std::string("Retailer ") + (i < 10 ? "0" : "") + std::to_string(i) + " (synthetic)";
    // Spread over -24..46 in 2025; each moves by -4..+6 points in 2026.
    const int nps_2025 = -24 + (i * 37) % 71;
    const int nps_2026 = nps_2025 + (i * 13) % 11 - 4;
    const std::int64_t respondents = 300 + (i * 53) % 700;
    for (const auto& [year, value] : {std::pair{2025, nps_2025}, {2026, nps_2026}}) {
      rows.push_back({company, "Retail", year, "nps", "Net Promoter Score", -100, 100,
                      static_cast<double>(value), respondents + year % 7, "made up by cxm demo"});
    }
  }
  store::RatingsDataset d;
  d.id = secrets::new_id();
  d.name = name;
  d.source = "cxm demo (made up)";
  d.citation =
      "Made up by cxm demo to show the customer-ratings comparison; not real companies or "
      "ratings.";
  d.licence = "synthetic demo data, no real source";
  d.synthetic = true;
  d.ratings = static_cast<std::int64_t>(rows.size());
  d.metrics = {"nps"};
  d.created_by = "demo";
  d.created_at = now;
  store.create_ratings_dataset(d, peers::write_ratings_csv(rows));
  std::cout << "Loaded the customer-ratings dataset '" << name
            << "': 30 made-up retailers' NPS for 2025 and 2026, labelled synthetic.\n";
}

int load_demo(const std::string& db) {
  if (!secrets::init_crypto()) return kExitFailure;
  auto store = open_store(db, 1);
  if (!store) return kExitBadInput;
  try {
    load_demo_ratings(*store, now_ms());
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
    store::Organization org{secrets::new_id(),
                            "Northwind Retail (demo, synthetic data)",
                            "Retail",
                            "250-999",
                            units,
                            true,
                            now - 430 * kDay};
    store->create_organization(org, std::nullopt);
    core::SyntheticProfile first;
    first.maturity = 2.3;
    first.units = units;
    first.seed = 20250901;
    first.character_seed = 7;  // the same strengths and weaknesses in every cycle
    core::SyntheticProfile middle = first;
    middle.maturity = 2.8;
    middle.seed = 20260301;
    core::SyntheticProfile last = first;
    last.maturity = 3.3;
    last.seed = 20260901;
    // Six months apart; the last closed a month ago, so its successor is
    // due in five months (or overdue at once with a one-month interval).
    const std::vector<std::int64_t> opened = {now - 420 * kDay, now - 240 * kDay, now - 60 * kDay};
    load_cycle(*store, model, org.id, "First assessment (demo)", opened[0], first);
    const std::string follow_up =
        load_cycle(*store, model, org.id, "Six-month follow-up (demo)", opened[1], middle);
    load_cycle(*store, model, org.id, "One-year review (demo)", opened[2], last);
    load_actions(*store, org.id, follow_up, now - 210 * kDay, now);
    load_customer_metrics(*store, org, opened, now);
    std::cout << "Loaded '" << org.name
              << "': three closed cycles six months apart, 40 synthetic respondents each, "
              << "a few comments, an action plan worked on since the second, and customer "
              << "metrics (NPS monthly and per unit at each cycle, CSAT quarterly).\n"
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
  auto* cmd =
      app.add_subcommand("demo", "Load a labelled demo organization with synthetic answers");
  cmd->add_option("--db", *db, "sqlite:PATH (default sqlite:data/cxm.db) or postgresql://...");
  cmd->callback([status, db] { *status = load_demo(*db); });
}

}  // namespace cxm::cli
