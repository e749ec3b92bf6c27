#include "results/cycle_report.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/disclosure.h"
#include "core/scope.h"
#include "report/comments_section.h"
#include "report/report_text.h"
#include "report/score_document.h"
#include "report/score_document_parser.h"
#include "results/cycle_comments.h"
#include "results/outside_in.h"
#include "results/published_result.h"

namespace cxm::results {
namespace {

// Targets and scope as the report states them: each competency's target
// stage, and the statements out of scope with their reasons (`model` is
// the cycle's whole model, so their texts are known).
void add_aims(json& doc, const core::Model& model, const store::OrgAims& aims) {
  for (auto& c : doc["competencies"]) {
    c["target_stage"] = nullptr;
    for (const auto& t : aims.targets) {
      if (t.competency_id == c["id"]) c["target_stage"] = t.target_stage;
    }
  }
  doc["out_of_scope"] = json::array();
  for (const auto& x : aims.out_of_scope) {
    const auto i = model.find_item(x.item_id);
    if (!i) continue;  // a statement of another model version
    doc["out_of_scope"].push_back(
        {{"id", x.item_id}, {"text", model.items[*i].text}, {"reason", x.reason}});
  }
}

}  // namespace

std::shared_ptr<const CycleReport> CycleReport::scored(json document, std::string lang) {
  auto report = std::make_shared<CycleReport>();
  auto reading = report::read_parsed_score_document(document);
  if (reading.document) {
    report->document_ = std::move(*reading.document);
  } else {
    report->problem_ = std::move(reading.error);
  }
  report->lang_ = std::move(lang);
  report->source_ = std::move(document);
  return report;
}

std::shared_ptr<const CycleReport> CycleReport::withheld(json body) {
  auto report = std::make_shared<CycleReport>();
  report->withheld_.reason = body.value("reason", std::string());
  report->withheld_.suppressed = body.value("suppressed", false);
  if (const auto a = body.find("anonymity"); a != body.end() && a->is_object())
    report->withheld_.release = a->value("release", 0LL);
  report->source_ = std::move(body);
  return report;
}

std::shared_ptr<const std::string> CycleReport::json_text() const {
  std::call_once(dumped_, [this] {
    text_ = std::make_shared<const std::string>(source_.dump());
    source_ = nullptr;  // the text is what is kept now
  });
  return text_;
}

core::StageRollupRule rollup_rule(const store::Organization& org) {
  return org.stage_rollup == store::StageRollup::weakest_unit
             ? core::StageRollupRule::weakest_unit
             : core::StageRollupRule::pooled_answers;
}

std::set<std::string> out_of_scope_ids(const store::OrgAims& aims) {
  std::set<std::string> ids;
  for (const auto& x : aims.out_of_scope) ids.insert(x.item_id);
  return ids;
}

// Out-of-scope statements are taken out of the model before scoring. This
// cannot make any figure cover fewer than k people: which people a figure
// summarises (a release, a shown role or unit) is decided on the people
// alone (core/disclosure.h), and scope only removes statements from what
// is summarised about them. A segment whose people answered only removed
// statements can only fall below k and be hidden, which shows less.
std::shared_ptr<const CycleReport> build_cycle_report(
    Results& results, const store::Cycle& cycle, const std::string& role, const std::string& unit,
    const std::vector<store::ParticipantAnswers>& answers, const store::Organization& org,
    const store::OrgAims& aims, const std::string& lang) {
  const std::string language = offered_language(cycle, lang);
  const report::TextScope words(language);
  auto whole = results.cycles.model(cycle, results.store, language);
  if (!whole) whole = results.cycles.model(cycle, results.store);
  const core::Model model = core::in_scope(*whole, out_of_scope_ids(aims));
  PublishedResult published = published_result(cycle, model, answers, role, unit);
  if (!published.result) return CycleReport::withheld(std::move(published.withheld));
  // The organization's roll-up applies to its whole result; a role's or a
  // unit's own view keeps its own (pooled) stage.
  if (role.empty() && unit.empty()) {
    core::apply_stage_rollup(*published.result, rollup_rule(org));
  } else {
    core::RolledUpStage own =
        core::roll_up_stage(*published.result, core::StageRollupRule::pooled_answers);
    if (!role.empty()) {
      const auto r = model.find_role(role);
      own.group = (r ? model.roles[*r].name : role) + "s";
    } else {
      own.group = unit;
    }
    published.result->rollup = own;
  }
  json doc = report::score_document(model, *published.result);
  add_aims(doc, *whole, aims);
  // Comments only in the whole report: never beside a segment's figures.
  if (role.empty() && unit.empty() && core::asks_comments(*whole)) {
    const auto comments =
        cycle_comments(cycle, *whole, answers, results.store.cycle_comments(cycle.id));
    doc["comments"] = report::comments_section(*whole, comments.groups);
  }
  // Outside-in only in the whole report: a role's or a unit's view has
  // no breakdown of its own, and the customers' figures are the whole
  // organization's and its units'.
  if (role.empty() && unit.empty()) {
    const json none = json::array();
    const json& units = doc.contains("segments") && doc["segments"].contains("unit")
                            ? doc["segments"]["unit"]
                            : none;
    doc["outside_in"] = cycle_outside_in(results, cycle, model, *whole, *published.result, units);
  }
  if (cycle.anonymous) {
    hide_small_counts(doc, static_cast<std::size_t>(cycle.min_group_size));
    doc["anonymity"] = published.anonymity;
  }
  // Which languages were used: the whole cycle's only (a role's or unit's
  // would cut the group finer than its own figures).
  if (role.empty() && unit.empty()) add_languages(doc, cycle, answers);
  doc["lang"] = language;
  return CycleReport::scored(std::move(doc), language);
}

std::string report_filter(const std::string& role, const std::string& unit) {
  return role.empty() ? (unit.empty() ? "" : "unit:" + unit) : "role:" + role;
}

std::string report_key(const store::Cycle& cycle, const std::string& filter,
                       const std::string& lang) {
  return filter + "@" + offered_language(cycle, lang);
}

void add_languages(json& doc, const store::Cycle& cycle,
                   const std::vector<store::ParticipantAnswers>& answers) {
  using report::tr;
  const auto k = static_cast<std::size_t>(cycle.min_group_size);
  std::map<std::string, std::size_t> counts;  // by language
  std::vector<core::DisclosureMember> members;
  bool imported = false;
  for (const auto& p : published_answers(cycle, answers)) {
    if (!p.participant.import_id.empty()) {
      imported = true;
      continue;
    }
    // The language the link had when it submitted (a later choice does not
    // move a published count).
    const std::string lang = offered_language(cycle, p.participant.answered_lang);
    ++counts[lang];
    // The language as the disclosure rule's "role": a partition of the
    // people of each release, decided with the earlier releases fixed.
    members.push_back(
        {lang, "", static_cast<std::size_t>(p.participant.released_in.value_or(0)), false});
  }
  // In the cycle's order of languages.
  std::vector<std::string> order = cycle.languages;
  for (const auto& [lang, n] : counts) {
    if (std::find(order.begin(), order.end(), lang) == order.end()) order.push_back(lang);
  }
  json languages = json::array();
  std::vector<std::string> notes;
  if (!cycle.anonymous) {
    for (const auto& lang : order) {
      if (counts.contains(lang))
        languages.push_back({{"lang", lang}, {"respondents", counts[lang]}});
    }
  } else if (cycle.releases > 0 && !members.empty()) {
    // Every offered language counts, also one nobody answered in: a 0 is a
    // group below k as a 1 is, or the breakdown would tell "nobody answered
    // in German" from "the one German speaker did". So languages are shown
    // only when each offered language has k or more respondents, and only
    // when no count, beside an earlier release, works out a smaller group.
    const std::string kk = std::to_string(k);
    const bool each_k =
        std::all_of(cycle.languages.begin(), cycle.languages.end(), [&](const std::string& lang) {
          const auto it = counts.find(lang);
          return it != counts.end() && it->second >= k;
        });
    if (!each_k) {
      notes.push_back(tr("languages.below_k", {{"k", kk}}));
    } else {
      const auto shown = core::shown_segments(members, static_cast<std::size_t>(cycle.releases), k);
      const bool all_shown = std::all_of(order.begin(), order.end(), [&](const std::string& lang) {
        return shown.back().shows_role(lang);
      });
      if (all_shown) {
        for (const auto& lang : order)
          languages.push_back({{"lang", lang}, {"respondents", counts[lang]}});
      } else {
        notes.push_back(tr("languages.release", {{"k", kk}}));
      }
    }
  }
  std::string note;
  for (const auto& n : notes) note += (note.empty() ? "" : ". ") + n;
  if (!note.empty()) note += ".";
  if (imported) note += (note.empty() ? "" : " ") + tr("languages.imported");
  doc["languages"] = std::move(languages);
  doc["languages_note"] = note.empty() ? json(nullptr) : json(note);
}

std::shared_ptr<const CycleReport> cycle_report(Results& results, const store::Cycle& cycle,
                                                const std::string& role, const std::string& unit,
                                                const std::string& lang) {
  const std::string filter = report_key(cycle, report_filter(role, unit), lang);
  if (auto cached = results.cycles.report(cycle, filter)) return cached;
  const auto org = results.store.find_organization(cycle.org_id);
  if (!org) return nullptr;
  // Answers submitted after `cycle` was read make this report newer than
  // its version says; the next read then recomputes, never the reverse.
  auto built = build_cycle_report(results, cycle, role, unit, results.store.cycle_answers(cycle.id),
                                  *org, results.store.org_aims(org->id), lang);
  // Its JSON is made here, on the thread that built it: a cached report
  // is then answered from memory on an I/O thread without a dump there,
  // and keeps the text, not the JSON tree it was made from.
  built->json_text();
  return results.cycles.put_report(cycle, filter, std::move(built));
}

}  // namespace cxm::results
