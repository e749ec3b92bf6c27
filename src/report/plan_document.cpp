#include "report/plan_document.h"

#include <nlohmann/json.hpp>

#include "report/score_document_types.h"

namespace cxm::report {
namespace {

using nlohmann::json;

// A number in 0..100 or null at `doc[key]`; false when it is neither.
bool read_score(const json& doc, const char* key, std::optional<double>& out) {
  const auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) {
    out.reset();
    return true;
  }
  if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 100) return false;
  out = it->get<double>();
  return true;
}

bool read_stage(const json& j, const core::Model& model, int& out) {
  if (!j.is_number_integer()) return false;
  out = j.get<int>();
  return out >= 1 && out <= model.stage_count();
}

std::string read_competencies(const core::Model& model, const json& doc, core::PlanInput& input) {
  const auto& list = doc.at("competencies");
  if (!list.is_array()) return "\"competencies\" must be a list";
  input.competencies.assign(model.competencies.size(), {});
  std::vector<bool> seen(model.competencies.size(), false);
  for (std::size_t k = 0; k < list.size(); ++k) {
    const json& c = list[k];
    const std::string where = "competencies[" + std::to_string(k) + "]";
    if (!c.is_object() || !c.contains("id") || !c["id"].is_string())
      return where + ": needs an \"id\"";
    const auto index = model.find_competency(c["id"].get<std::string>());
    if (!index) return where + ": unknown competency \"" + c["id"].get<std::string>() + "\"";
    seen[*index] = true;
    if (!read_score(c, "score", input.competencies[*index].score))
      return where + ".score: must be 0..100 or null";
    if (!c.contains("stage") || !read_stage(c["stage"], model, input.competencies[*index].stage)) {
      return where + ".stage: must be a stage number of the model";
    }
  }
  for (std::size_t c = 0; c < seen.size(); ++c) {
    if (!seen[c]) return "competency \"" + model.competencies[c].id + "\" is missing";
  }
  return "";
}

std::string read_items(const core::Model& model, const json& doc, core::PlanInput& input) {
  const auto& list = doc.at("items");
  if (!list.is_array()) return "\"items\" must be a list";
  input.item_scores.assign(model.items.size(), std::nullopt);
  for (std::size_t k = 0; k < list.size(); ++k) {
    const json& i = list[k];
    const std::string where = "items[" + std::to_string(k) + "]";
    if (!i.is_object() || !i.contains("id") || !i["id"].is_string())
      return where + ": needs an \"id\"";
    const auto index = model.find_item(i["id"].get<std::string>());
    if (!index) return where + ": unknown statement \"" + i["id"].get<std::string>() + "\"";
    if (!read_score(i, "score", input.item_scores[*index]))
      return where + ".score: must be 0..100 or null";
  }
  return "";
}

std::string read_input(const core::Model& model, const json& doc, core::PlanInput& input) {
  if (!doc.is_object() || doc.value("schema", "") != std::string("cxm.score/1")) {
    return "not a score document (from cxm score --json)";
  }
  const json model_ref = doc.value("model", json::object());
  const std::string id = model_ref.value("id", ""), version = model_ref.value("version", "");
  if (id != model.id || version != model.version) {
    return "scored with model " + id + " " + version + ", not " + model.id + " " + model.version +
           " (pass that model with --model)";
  }
  if (doc.value("form", "full") != "full" || !doc.contains("stage") || doc["stage"].is_null()) {
    return "a pulse check gives no stage; draft a plan from a full cycle's scores";
  }
  if (!doc["stage"].is_object() || !doc["stage"].contains("number") ||
      !read_stage(doc["stage"]["number"], model, input.stage)) {
    return "stage.number: must be a stage number of the model";
  }
  if (!doc.contains("competencies") || !doc.contains("items"))
    return "needs \"competencies\" and \"items\"";
  if (auto error = read_competencies(model, doc, input); !error.empty()) return error;
  return read_items(model, doc, input);
}

// read_input for a document already read: its values are typed and its
// scores in range (report/score_document_parser.h); what is checked here
// is what the plan needs of the model.
std::string read_input(const core::Model& model, const ScoreDocument& doc, core::PlanInput& input) {
  if (doc.model.id != model.id || doc.model.version != model.version) {
    return "scored with model " + doc.model.id + " " + doc.model.version + ", not " + model.id +
           " " + model.version + " (pass that model with --model)";
  }
  if (doc.form != core::Form::full || !doc.stage) {
    return "a pulse check gives no stage; draft a plan from a full cycle's scores";
  }
  input.stage = doc.stage->number;
  if (input.stage < 1 || input.stage > model.stage_count())
    return "stage.number: must be a stage number of the model";
  input.competencies.assign(model.competencies.size(), {});
  std::vector<bool> seen(model.competencies.size(), false);
  for (std::size_t k = 0; k < doc.competencies.size(); ++k) {
    const auto& c = doc.competencies[k];
    const std::string where = "competencies[" + std::to_string(k) + "]";
    const auto index = model.find_competency(c.id);
    if (!index) return where + ": unknown competency \"" + c.id + "\"";
    seen[*index] = true;
    input.competencies[*index].score = c.score;
    if (!c.stage || *c.stage < 1 || *c.stage > model.stage_count())
      return where + ".stage: must be a stage number of the model";
    input.competencies[*index].stage = *c.stage;
  }
  for (std::size_t c = 0; c < seen.size(); ++c) {
    if (!seen[c]) return "competency \"" + model.competencies[c].id + "\" is missing";
  }
  input.item_scores.assign(model.items.size(), std::nullopt);
  for (std::size_t k = 0; k < doc.items.size(); ++k) {
    const auto index = model.find_item(doc.items[k].id);
    if (!index) {
      return "items[" + std::to_string(k) + "]: unknown statement \"" + doc.items[k].id + "\"";
    }
    input.item_scores[*index] = doc.items[k].score;
  }
  return "";
}

}  // namespace

std::string plan_document_json(const core::Model& model, const core::PlanInput& input,
                               const core::Plan& plan, int indent) {
  json actions = json::array();
  for (const auto& a : plan.actions) {
    json items = json::array();
    for (std::size_t i : a.items) items.push_back(model.items[i].id);
    actions.push_back(
        {{"kind", core::to_string(a.kind)},
         {"title", a.title},
         {"detail", a.detail},
         {"owner", a.owner},
         {"success_measure", a.success_measure},
         {"reason", a.reason},
         {"competency", a.competency ? json(model.competencies[*a.competency].id) : json(nullptr)},
         {"competency_name",
          a.competency ? json(model.competencies[*a.competency].name) : json(nullptr)},
         {"stage", a.target_stage},
         {"items", items}});
  }
  const core::Stage& stage = model.stage(input.stage);
  json doc = {
      {"schema", kPlanSchema},
      {"model", {{"id", model.id}, {"version", model.version}}},
      {"stage", {{"number", stage.number}, {"name", stage.name}, {"obstacle", stage.obstacle}}},
      {"actions", actions}};
  return doc.dump(indent);
}

PlanInputResult plan_input_from_score_document(const core::Model& model,
                                               std::string_view score_json) {
  const json doc = json::parse(score_json, nullptr, false);
  if (doc.is_discarded()) return {std::nullopt, "not valid JSON"};
  core::PlanInput input;
  try {
    if (auto error = read_input(model, doc, input); !error.empty()) return {std::nullopt, error};
  } catch (const json::exception& e) {
    return {std::nullopt, std::string("unexpected value: ") + e.what()};
  }
  return {input, ""};
}

PlanInputResult plan_input_from_score_document(const core::Model& model,
                                               const ScoreDocument& document) {
  core::PlanInput input;
  if (auto error = read_input(model, document, input); !error.empty()) return {std::nullopt, error};
  return {input, ""};
}

}  // namespace cxm::report
