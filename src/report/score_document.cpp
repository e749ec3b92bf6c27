#include "report/score_document.h"

#include <nlohmann/json.hpp>

#include "report/report_text.h"

namespace cxm::report {
namespace {

using nlohmann::json;

json optional_number(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json actions_json(const std::vector<core::Action>& actions) {
  json out = json::array();
  for (const auto& a : actions) {
    out.push_back({{"title", a.title},
                   {"detail", a.detail},
                   {"owner", a.owner},
                   {"success_measure", a.success_measure},
                   {"items", a.items}});
  }
  return out;
}

json ladder_json(const core::Model& model, const core::StageVerdict& verdict) {
  json ladder = json::array();
  ladder.push_back({{"number", 1},
                    {"name", model.stage(1).name},
                    {"score", nullptr},
                    {"attained", true},
                    {"indicative", false},
                    {"counted", 0},
                    {"statements", 0}});
  // The evidence rule: how many of a step's statements had enough answers
  // to count, and whether too few did ("too few answers to be sure").
  for (const auto& s : verdict.ladder) {
    ladder.push_back({{"number", s.number},
                      {"name", model.stage(s.number).name},
                      {"score", optional_number(s.score)},
                      {"attained", s.attained},
                      {"indicative", s.indicative},
                      {"counted", s.counted},
                      {"statements", s.statements}});
  }
  return ladder;
}

json item_json(const core::Model& model, const core::ItemResult& r) {
  const core::Item& item = model.items[r.item];
  json j = {{"id", item.id},
            {"competency", model.competencies[item.competency].id},
            {"stage", item.stage},
            {"text", item.text},
            {"reverse", item.reverse},
            {"n", r.stats.n},
            {"missing", r.missing},
            {"mean", optional_number(r.stats.mean)},
            {"median", optional_number(r.stats.median)},
            {"sd", optional_number(r.sd)},
            {"score", optional_number(r.score)},
            {"rwg", optional_number(r.rwg)},
            {"class", r.agreement ? json(core::to_string(*r.agreement)) : json(nullptr)},
            {"bimodal", r.bimodal},
            {"histogram", r.histogram}};
  if (r.stats.n == 0) {
    j["note"] = "no answers: nobody rated this item (don't know counts as missing)";
  } else if (r.stats.n == 1) {
    j["note"] = "1 answer: sd and agreement need at least 2 answers";
  }
  return j;
}

// A pulse asks too few statements to evidence a stage: its documents claim
// none (null where a full document names one).
bool claims_stage(const core::Model& model) { return model.form == core::Form::full; }

json competency_json(const core::Model& model, const core::CompetencyResult& r) {
  const core::Competency& c = model.competencies[r.competency];
  const bool staged = claims_stage(model);
  json j = {{"id", c.id},
            {"name", c.name},
            {"score", optional_number(r.score)},
            {"stage", staged ? json(r.stage.stage) : json(nullptr)},
            {"stage_name", staged ? json(model.stage(r.stage.stage).name) : json(nullptr)},
            {"indicative", staged && r.stage.indicative},
            {"rwg_j", optional_number(r.rwg_j.value)},
            {"rwg_j_n", r.rwg_j.n},
            {"alpha", optional_number(r.alpha.value)},
            {"alpha_n", r.alpha.n}};
  json notes = json::array();
  if (!r.rwg_j.value) {
    notes.push_back("rwg_j: fewer than 2 respondents answered every item of this competency");
  }
  if (!r.alpha.value) {
    notes.push_back(r.alpha.n < 2
                        ? "alpha: fewer than 2 respondents answered every item of this competency"
                        : "alpha: undefined (fewer than 2 items or no variance in the sum score)");
  }
  if (!notes.empty()) j["notes"] = notes;
  return j;
}

json ranking_json(const core::Model& model, const core::GroupResult& g,
                  const core::Ranking& ranking) {
  json competencies = json::array();
  for (std::size_t c : ranking.competencies) {
    competencies.push_back({{"id", model.competencies[c].id},
                            {"name", model.competencies[c].name},
                            {"score", *g.competencies[c].score}});
  }
  json items = json::array();
  for (std::size_t i : ranking.items) {
    items.push_back(
        {{"id", model.items[i].id}, {"text", model.items[i].text}, {"score", *g.items[i].score}});
  }
  return {{"competencies", competencies}, {"items", items}};
}

std::string segment_name(const core::Model& model, core::SegmentKind kind,
                         const std::string& value) {
  if (kind == core::SegmentKind::role) {
    if (const auto r = model.find_role(value)) return model.roles[*r].name;
  }
  return value;
}

// Why a segment is hidden, in a sentence (its true reason: SPEC section 8).
std::string hidden_reason_text(const core::Model& model, const core::SegmentResult& s,
                               std::size_t min_group_size) {
  const std::string k = std::to_string(min_group_size);
  switch (s.hidden.reason) {
    case core::HiddenReason::reveals_smaller_group: {
      return tr("reason.reveals",
                {{"group", revealed_group_phrase(model, s.hidden.reveals, min_group_size)}});
    }
    case core::HiddenReason::inside_filtered_group:
      return tr("reason.inside");
    case core::HiddenReason::fewer_than_k:
      break;
  }
  if (core::counted_towards_group(s.respondents, s.supplied) < s.respondents) {
    return tr("reason.fewer_own", {{"k", k}});
  }
  return tr("reason.fewer", {{"k", k}});
}

// The structured reason beside the sentence, for pages that word it
// themselves: the code, k, and for reveals_smaller_group the group.
json hidden_json(const core::Model& model, const core::SegmentResult& s,
                 std::size_t min_group_size) {
  json j = {{"code", core::to_string(s.hidden.reason)}, {"k", min_group_size}};
  if (s.hidden.reason == core::HiddenReason::fewer_than_k)
    j["imported_excluded"] = core::counted_towards_group(s.respondents, s.supplied) < s.respondents;
  if (s.hidden.reason == core::HiddenReason::reveals_smaller_group) {
    const auto& g = s.hidden.reveals;
    j["group"] = g.kind.empty() ? json(nullptr)
                                : json{{"kind", g.kind},
                                       {"value", g.value},
                                       {"name", revealed_group_name(model, g)},
                                       {"phrase", revealed_group_phrase(model, g, min_group_size)}};
  }
  return j;
}

json segments_json(const core::Model& model, core::SegmentKind kind,
                   const std::vector<core::SegmentResult>& segments, std::size_t min_group_size) {
  json out = json::array();
  for (const auto& s : segments) {
    json j = {{"value", s.value},
              {"name", segment_name(model, kind, s.value)},
              {"respondents", s.respondents},
              {"suppressed", s.suppressed}};
    if (s.supplied > 0) j["imported"] = s.supplied;
    if (s.suppressed) {
      j["reason"] = hidden_reason_text(model, s, min_group_size);
      j["hidden"] = hidden_json(model, s, min_group_size);
    } else {
      const core::GroupResult& g = *s.result;
      j["overall_score"] = optional_number(g.overall_score);
      if (claims_stage(model)) {
        j["stage"] = g.stage.stage;
        j["stage_name"] = model.stage(g.stage.stage).name;
      }
      json competencies = json::array();
      for (const auto& c : g.competencies) {
        competencies.push_back(
            {{"id", model.competencies[c.competency].id}, {"score", optional_number(c.score)}});
      }
      j["competencies"] = competencies;
    }
    out.push_back(j);
  }
  return out;
}

json difference_json(const core::ScoreDifference& d) {
  return {{"mean_a", d.a.n > 0 ? json(d.a.mean) : json(nullptr)},
          {"mean_b", d.b.n > 0 ? json(d.b.mean) : json(nullptr)},
          {"n_a", d.a.n},
          {"n_b", d.b.n},
          {"difference", d.a.n > 0 && d.b.n > 0 ? json(d.difference.difference) : json(nullptr)},
          {"ci_low", optional_number(d.difference.ci_low)},
          {"ci_high", optional_number(d.difference.ci_high)},
          {"cohens_d", optional_number(d.effect_size)}};
}

void add_gaps(json& out, const core::Model& model, core::SegmentKind kind,
              const std::vector<core::SegmentGap>& gaps) {
  for (const auto& gap : gaps) {
    json competencies = json::array();
    for (std::size_t c = 0; c < gap.comparison.competencies.size(); ++c) {
      json d = difference_json(gap.comparison.competencies[c]);
      d["id"] = model.competencies[c].id;
      competencies.push_back(d);
    }
    out.push_back({{"segment", core::to_string(kind)},
                   {"a", gap.a},
                   {"b", gap.b},
                   {"overall", difference_json(gap.comparison.overall)},
                   {"competencies", competencies}});
  }
}

// The stage verdict of a full document: the stage, its ladder, the next
// stage and its gaps.
void add_stage_verdict(json& doc, const core::Model& model, const core::GroupResult& g,
                       int stage_number, bool indicative) {
  const core::Stage& stage = model.stage(stage_number);
  doc["stage"] = {
      {"number", stage.number},     {"name", stage.name},
      {"indicative", indicative},   {"description", stage.description},
      {"obstacle", stage.obstacle}, {"obstacle_actions", actions_json(stage.obstacle_actions)}};
  doc["stages"] = ladder_json(model, g.stage);
  doc["next_stage"] =
      stage.number < model.stage_count()
          ? json{{"number", stage.number + 1}, {"name", model.stage(stage.number + 1).name}}
          : json(nullptr);
  doc["next_stage_gaps"] = json::array();
  for (std::size_t i : g.next_stage_gaps) doc["next_stage_gaps"].push_back(model.items[i].id);
}

// Whether the stage given rests on too few answers: the pooled verdict's,
// or under the weakest-unit rule the weakest shown unit's own verdict.
bool stage_indicative(const core::CycleResult& result) {
  if (result.rollup && result.rollup->rule == core::StageRollupRule::weakest_unit &&
      result.rollup->group.empty() && !result.rollup->weakest_unit.empty()) {
    for (const auto& u : result.units) {
      if (u.value == result.rollup->weakest_unit && !u.suppressed && u.result)
        return u.result->stage.indicative;
    }
  }
  return result.group.stage.indicative;
}

// The silo score (SPEC section 3): everyone's, each shown unit's (a unit
// hidden for anonymity is never named here), and the spread of the shown
// units' overall scores; null when the model has no silo statement.
json silo_json(const core::Model& model, const core::CycleResult& result) {
  if (!result.silo) return nullptr;
  const core::SiloResult& silo = *result.silo;
  json statements = json::array();
  for (std::size_t i : silo.statements) statements.push_back(model.items[i].id);
  json units = json::array();
  for (const auto& u : silo.units)
    units.push_back(
        {{"name", u.unit}, {"score", optional_number(u.score)}, {"counted", u.counted}});
  return {{"score", optional_number(silo.score)},
          {"counted", silo.counted},
          {"statements", statements},
          {"units", units},
          {"spread", optional_number(silo.spread)}};
}

// Why no unit can be shown, unit by unit ("Digital has fewer than 3
// respondents; Retail would let the answers of ... be worked out").
std::string units_hidden_text(const core::Model& model, const core::CycleResult& result) {
  std::string out;
  const std::string k = std::to_string(result.min_group_size);
  for (const auto& u : result.units) {
    if (!u.suppressed) continue;
    if (!out.empty()) out += "; ";
    if (u.hidden.reason == core::HiddenReason::fewer_than_k) {
      out += tr("rollup.unit_fewer", {{"unit", u.value}, {"k", k}});
    } else if (u.hidden.reason == core::HiddenReason::reveals_smaller_group) {
      out += tr("rollup.unit_reveals",
                {{"unit", u.value},
                 {"group", revealed_group_phrase(model, u.hidden.reveals, result.min_group_size)}});
    } else {
      out += tr("rollup.unit_finer", {{"unit", u.value}});
    }
  }
  return out;
}

// How the stage above was reached, in words the results page and the
// report print beside it.
json rollup_json(const core::Model& model, const core::CycleResult& result) {
  const int pooled = result.group.stage.stage;
  const core::RolledUpStage rolled =
      result.rollup ? *result.rollup
                    : core::roll_up_stage(result, core::StageRollupRule::pooled_answers);
  json j = {{"rule", core::to_string(rolled.rule)},
            {"pooled_stage", pooled},
            {"unit", rolled.weakest_unit.empty() ? json(nullptr) : json(rolled.weakest_unit)},
            {"units_shown", rolled.units_shown}};
  // What was actually done: the rule's own stage, or the pooled stage in
  // its place (no unit can be shown), or a role's or unit's own view.
  if (!rolled.group.empty()) {
    j["applied"] = "group_pooled";
    j["group"] = rolled.group;
    j["statement"] = tr("rollup.group", {{"group", rolled.group}});
  } else if (rolled.rule == core::StageRollupRule::pooled_answers) {
    j["applied"] = "pooled";
    j["statement"] = tr("rollup.pooled");
  } else if (rolled.units_shown == 0) {
    j["applied"] = "pooled_no_unit_shown";
    const std::string why = units_hidden_text(model, result);
    j["statement"] =
        tr("rollup.no_unit", {{"why", why.empty() ? tr("rollup.no_unit_named") : why}});
  } else {
    j["applied"] = "weakest_unit";
    j["statement"] = tr("rollup.weakest", {{"unit", rolled.weakest_unit},
                                           {"n", std::to_string(rolled.stage)},
                                           {"name", model.stage(rolled.stage).name},
                                           {"shown", std::to_string(rolled.units_shown)},
                                           {"pooled", std::to_string(pooled)}});
  }
  return j;
}

}  // namespace

std::string revealed_group_name(const core::Model& model, const core::RevealedGroup& group) {
  if (group.kind == "unit") return group.value.empty() ? tr("group.no_unit") : group.value;
  if (group.kind == "role")
    return group.value.empty()
               ? tr("group.no_role")
               : tr("group.role",
                    {{"role", segment_name(model, core::SegmentKind::role, group.value)}});
  return "";
}

std::string revealed_group_phrase(const core::Model& model, const core::RevealedGroup& group,
                                  std::size_t min_group_size) {
  const std::string k = std::to_string(min_group_size);
  if (group.kind.empty()) return tr("group.smaller");
  if (group.value.empty())
    return tr("group.fewer_with", {{"k", k}, {"group", revealed_group_name(model, group)}});
  return tr("group.fewer_in", {{"k", k}, {"group", revealed_group_name(model, group)}});
}

std::string pulse_note(std::size_t statements) {
  return tr("pulse.note", {{"n", std::to_string(statements)}});
}

std::string score_document_json(const core::Model& model, const core::CycleResult& result,
                                int indent) {
  return score_document(model, result).dump(indent);
}

json score_document(const core::Model& model, const core::CycleResult& result) {
  const core::GroupResult& g = result.group;
  json doc;
  doc["schema"] = kScoreSchema;
  doc["form"] = core::to_string(model.form);
  doc["model"] = {{"id", model.id}, {"version", model.version}, {"title", model.title}};
  doc["scale"] = {
      {"min", model.scale.min}, {"max", model.scale.max}, {"labels", model.scale.labels}};
  doc["threshold"] = model.threshold;
  doc["respondents"] = g.respondents;
  if (result.supplied > 0) doc["imported"] = result.supplied;
  doc["answering"] = g.answering;
  doc["min_group_size"] = result.min_group_size;
  // The evidence rule: answers a statement needs to count for a stage.
  doc["answers_to_count"] = core::answers_to_count(result.min_group_size, g.answering);
  doc["overall_score"] = optional_number(g.overall_score);
  if (claims_stage(model)) {
    add_stage_verdict(doc, model, g, result.rollup ? result.rollup->stage : g.stage.stage,
                      stage_indicative(result));
    doc["stage_rollup"] = rollup_json(model, result);
  } else {
    doc["note"] = pulse_note(model.items.size());
    doc["stage"] = nullptr;
    doc["stages"] = json::array();
    doc["next_stage"] = nullptr;
    doc["next_stage_gaps"] = json::array();
  }
  doc["competencies"] = json::array();
  for (const auto& c : g.competencies) doc["competencies"].push_back(competency_json(model, c));
  doc["items"] = json::array();
  for (const auto& i : g.items) doc["items"].push_back(item_json(model, i));
  doc["strengths"] = ranking_json(model, g, g.strengths);
  doc["weaknesses"] = ranking_json(model, g, g.weaknesses);
  doc["segments"] = {
      {"role", segments_json(model, core::SegmentKind::role, result.roles, result.min_group_size)},
      {"unit", segments_json(model, core::SegmentKind::unit, result.units, result.min_group_size)}};
  doc["gaps"] = json::array();
  add_gaps(doc["gaps"], model, core::SegmentKind::role, result.role_gaps);
  add_gaps(doc["gaps"], model, core::SegmentKind::unit, result.unit_gaps);
  doc["silo"] = silo_json(model, result);
  return doc;
}

std::string model_document_json(const core::Model& model, int indent) {
  json doc;
  doc["id"] = model.id;
  doc["version"] = model.version;
  doc["title"] = model.title;
  doc["description"] = model.description;
  doc["source"] = model.source.empty() ? json(nullptr) : json(model.source);
  doc["introduction"] = model.introduction;
  doc["scale"] = {
      {"min", model.scale.min},
      {"max", model.scale.max},
      {"labels", model.scale.labels},
      {"dont_know",
       model.scale.dont_know_label.empty() ? json(nullptr) : json(model.scale.dont_know_label)}};
  doc["threshold"] = model.threshold;
  doc["stages"] = json::array();
  for (const auto& s : model.stages) {
    doc["stages"].push_back({{"number", s.number},
                             {"id", s.id},
                             {"name", s.name},
                             {"description", s.description},
                             {"obstacle", s.obstacle},
                             {"obstacle_actions", actions_json(s.obstacle_actions)}});
  }
  doc["competencies"] = json::array();
  for (const auto& c : model.competencies) {
    doc["competencies"].push_back(
        {{"id", c.id},
         {"name", c.name},
         {"description", c.description},
         {"comment", c.comment.empty() ? json(nullptr) : json(c.comment)}});
  }
  doc["items"] = json::array();
  for (const auto& i : model.items) {
    doc["items"].push_back(
        {{"id", i.id},
         {"competency", model.competencies[i.competency].id},
         {"stage", i.stage},
         {"text", i.text},
         {"pulse", i.pulse},
         {"obstacle", i.obstacle > 0 ? json(model.stage(i.obstacle).id) : json(nullptr)},
         {"themes", i.themes},
         {"reverse", i.reverse}});
  }
  doc["glossary"] = json::array();
  for (const auto& g : model.glossary)
    doc["glossary"].push_back({{"term", g.term}, {"definition", g.definition}});
  doc["roles"] = json::array();
  for (const auto& r : model.roles) doc["roles"].push_back({{"id", r.id}, {"name", r.name}});
  doc["actions"] = json::array();
  for (const auto& a : model.actions) {
    json action = actions_json({a.action})[0];
    action["competency"] = model.competencies[a.competency].id;
    action["stage"] = a.stage;
    doc["actions"].push_back(action);
  }
  return doc.dump(indent);
}

}  // namespace cxm::report
