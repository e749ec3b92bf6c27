// What moved after talking (the discussion's and the report's
// workshop_rounds; api/live_state.h): per statement a live workshop asked
// twice, the room's answers before and after (issue 23).
#include <algorithm>
#include <cstdio>
#include <map>

#include "api/live_state.h"
#include "core/scope.h"
#include "core/workshop.h"
#include "results/cycle_report.h"

namespace cxm::api {
namespace {

json round_json(const core::ItemResult& r, std::size_t dont_know) {
  return {{"n", r.stats.n},
          {"dont_know", dont_know},
          {"mean", r.stats.mean ? json(*r.stats.mean) : json(nullptr)},
          {"rwg", r.rwg ? json(*r.rwg) : json(nullptr)},
          {"class", r.agreement ? json(core::to_string(*r.agreement)) : json(nullptr)},
          {"bimodal", r.bimodal}};
}

std::string one_decimal(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

std::string class_words(const core::ItemResult& r) {
  if (!r.agreement) return "too few ratings to tell";
  switch (*r.agreement) {
    case core::AgreementClass::agreement:
      return "the room agreed";
    case core::AgreementClass::mixed:
      return "views were mixed";
    case core::AgreementClass::disagreement:
      return r.bimodal ? "the room was split in two camps" : "the room disagreed";
  }
  return "";
}

std::string verdict_words(core::Convergence v) {
  switch (v) {
    case core::Convergence::converged:
      return "The room came closer together";
    case core::Convergence::unchanged:
      return "About as before";
    case core::Convergence::diverged:
      return "The room moved further apart";
    case core::Convergence::not_enough_answers:
      return "Too few answers to compare";
  }
  return "";
}

}  // namespace

// What moved after talking: every statement a workshop of the cycle
// revealed in both rounds, its figures before and after (frozen at the
// reveals, which the room saw), the convergence verdict and a sentence in
// plain words. A statement either round of which has fewer ratings than
// the cycle's minimum group (its "don't know" answers counted towards the
// reveal) is hidden, and says so. A statement the organization has taken
// out of scope since is left out, as the report leaves it out.
json workshop_rounds_json(Context& ctx, const store::Cycle& cycle) {
  // Only statements in the organization's scope, as the report scores them.
  const auto model = std::make_shared<const core::Model>(
      core::in_scope(*ctx.cycles.model(cycle, ctx.store),
                     results::out_of_scope_ids(ctx.store.org_aims(cycle.org_id))));
  const std::size_t k = static_cast<std::size_t>(std::max(cycle.min_group_size, 2));
  json out = json::array();
  for (const auto& w : ctx.store.workshops_of(cycle.id)) {
    std::map<std::string, std::pair<const store::WorkshopReveal*, const store::WorkshopReveal*>>
        rounds;
    const auto reveals = ctx.store.workshop_reveals(w.id);
    for (const auto& r : reveals) {
      auto& pair = rounds[r.item_id];
      (r.round == 1 ? pair.first : pair.second) = &r;
    }
    // In the order the second round asked them: the first round's order.
    for (const auto& step : w.steps) {
      for (const auto& id : step) {
        const auto found = rounds.find(id);
        if (found == rounds.end() || !found->second.first || !found->second.second) continue;
        const auto item = model->find_item(id);
        const auto points = static_cast<std::size_t>(model->scale.points());
        const auto& [first, second] = found->second;
        if (!item || first->histogram.size() != points || second->histogram.size() != points)
          continue;
        const auto before =
            core::revealed_result(*model, *item, first->histogram, first->dont_know);
        const auto after =
            core::revealed_result(*model, *item, second->histogram, second->dont_know);
        json s = {{"id", id},
                  {"text", model->items[*item].text},
                  {"competency", model->competencies[model->items[*item].competency].name},
                  {"workshop_id", w.id},
                  {"before", nullptr},
                  {"after", nullptr},
                  {"verdict", nullptr},
                  {"words", nullptr},
                  {"hidden", nullptr}};
        if (before.stats.n < k || after.stats.n < k) {
          s["hidden"] = std::string("fewer than ") + std::to_string(k) + " ratings in the " +
                        (before.stats.n < k ? "first" : "second") +
                        " round (don't know answers aside)";
          out.push_back(std::move(s));
          continue;
        }
        const auto c = core::compare_rounds(before, after);
        s["before"] = round_json(before, first->dont_know);
        s["after"] = round_json(after, second->dont_know);
        s["verdict"] = core::to_string(c.verdict);
        std::string words = verdict_words(c.verdict) + ": before talking " + class_words(before);
        if (before.stats.mean) words += " (mean " + one_decimal(*before.stats.mean) + ")";
        words += "; after, " + class_words(after);
        if (after.stats.mean) words += " (mean " + one_decimal(*after.stats.mean) + ")";
        words += ".";
        s["words"] = words;
        out.push_back(std::move(s));
      }
    }
  }
  return out;
}

}  // namespace cxm::api
