// /api/cycles/{cycle}/imports: respondents of a survey tool's CSV export
// (docs/import.md) imported into an open cycle, by its facilitators. A
// preview says what the import will do and every problem by row and column;
// the import itself is one transaction, checked against the cycle's state
// and its earlier imports inside the write. Imported respondents count like
// submitted responses (an anonymous cycle publishes them at its next close,
// with everyone else's); nothing here returns one person's answers.
#include <set>

#include "answers/import_json.h"
#include "answers/respondent_key.h"
#include "answers/survey_import.h"
#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"

namespace cxm::api {
namespace {

// The largest export accepted (base64 in a JSON body under the server's
// 1 MiB limit).
constexpr std::size_t kMaxCsvBase64 = 1000000;
constexpr std::size_t kMaxMappingBytes = 64 * 1024;

json import_json(const store::SurveyImport& i) {
  return {{"id", i.id},
          {"file_name", i.file_name},
          {"mapping", i.mapping},
          {"respondents", i.respondents},
          {"imported_at", i.imported_at}};
}

// Identifies a respondent of the export within one cycle without keeping
// the export's id itself (which may be an e-mail address): a hash of the
// id in the form ids compare in (answers/respondent_key.h), so that "R1",
// "r1." and "r1" with a zero-width space are the "r1" imported before.
std::string source_key(const std::string& cycle_id, const std::string& respondent_id) {
  return token_hash("import\n" + cycle_id + "\n" + answers::respondent_key(respondent_id));
}

// The hash of the id as typed, which imports stored before ids were
// compared in that form: compared too, so that those are still caught
// when repeated as they were typed (or typed then in the compared form).
// Empty when it is the same as source_key.
std::string typed_key(const std::string& cycle_id, const std::string& respondent_id) {
  if (answers::respondent_key(respondent_id) == respondent_id) return "";
  return token_hash("import\n" + cycle_id + "\n" + respondent_id);
}

bool imported_before(const std::set<std::string>& before, const std::string& cycle_id,
                     const std::string& respondent_id) {
  if (before.contains(source_key(cycle_id, respondent_id))) return true;
  const auto typed = typed_key(cycle_id, respondent_id);
  return !typed.empty() && before.contains(typed);
}

struct ImportRequest {
  std::string file_name;
  std::string mapping_name;  // shipped name, or the uploaded mapping's name
  std::optional<answers::SurveyMapping> mapping;
  std::string csv;
  bool preview = true;
};

// The request's mapping and export; problems with either become problems
// of the import.
Outcome<ImportRequest> read_request(const json& body,
                                    std::vector<answers::ImportProblem>& problems) {
  ImportRequest r;
  CXM_TRY(file_name, required_text(body, "file_name", 200));
  r.file_name = file_name;
  CXM_TRY(preview_field, bool_field(body, "preview"));
  r.preview = preview_field.value_or(true);
  CXM_TRY(name, text_field(body, "mapping", false, 64));
  CXM_TRY(yaml, text_field(body, "mapping_yaml", false, kMaxMappingBytes, Text::document));
  if (name.has_value() == yaml.has_value())
    return refuse(422, "invalid", "mapping: give a shipped mapping's name or mapping_yaml");
  answers::MappingParseResult parsed;
  if (name) {
    const auto text = answers::shipped_mapping_text(*name);
    if (!text) {
      std::string names;
      for (const auto& n : answers::shipped_mapping_names())
        names += (names.empty() ? "" : ", ") + n;
      return refuse(422, "invalid",
                    "mapping: unknown mapping '" + *name + "' (shipped: " + names + ")");
    }
    parsed = answers::parse_survey_mapping(*text, *name + ".yaml");
    r.mapping_name = *name;
  } else {
    parsed = answers::parse_survey_mapping(*yaml, "mapping.yaml");
    r.mapping_name =
        parsed.mapping && !parsed.mapping->name.empty() ? parsed.mapping->name : "uploaded mapping";
  }
  for (const auto& d : parsed.diagnostics) {
    problems.push_back(answers::ImportProblem{0, 0, "", model::format(d)});
  }
  r.mapping = std::move(parsed.mapping);
  CXM_TRY(base64, required_text(body, "csv_base64", kMaxCsvBase64, Text::document));
  if (!secrets::from_base64(base64, r.csv)) return refuse(422, "invalid", "csv_base64: not base64");
  return r;
}

// Imported units must be units of the organization, as a link's are.
void check_units(const answers::SurveyImport& result, const store::Organization& org,
                 std::vector<answers::ImportProblem>& problems) {
  std::string units;
  for (const auto& u : org.units) units += (units.empty() ? "" : ", ") + u;
  for (const auto& who : result.respondents) {
    if (who.unit.empty() ||
        std::find(org.units.begin(), org.units.end(), who.unit) != org.units.end())
      continue;
    problems.push_back(answers::ImportProblem{
        who.row, result.preview.unit_column_number, result.preview.unit_column,
        "'" + who.unit + "' is not a unit of this organization (" +
            (units.empty() ? "it has none" : units) + ")"});
  }
}

// Respondents of the export imported into the cycle before, by row.
void check_repeats(const answers::SurveyImport& result, const std::set<std::string>& before,
                   const std::string& cycle_id, std::vector<answers::ImportProblem>& problems) {
  std::vector<std::string> ids;
  for (const auto& who : result.respondents) {
    if (imported_before(before, cycle_id, who.id)) ids.push_back(who.id);
  }
  if (ids.empty()) return;
  std::string shown;
  for (std::size_t i = 0; i < ids.size() && i < 10; ++i) shown += (i ? ", " : "") + ids[i];
  if (ids.size() > 10) shown += ", …";
  problems.push_back(answers::ImportProblem{
      0, 0, "",
      std::to_string(ids.size()) +
          " of these respondents were imported into this cycle before (ids " + shown +
          "): importing them again would count them twice"});
}

http::Response post_import(Context& ctx, const http::Request& request,
                           const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle_ptr, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  const store::Cycle& cycle = *cycle_ptr;
  CXM_TRY(body, json_body(request));
  std::vector<answers::ImportProblem> problems;
  CXM_TRY(r, read_request(body, problems));
  const auto model = ctx.cycles.model(cycle, ctx.store);
  answers::SurveyImport result;
  if (r.mapping) {
    // Statements and answer labels may be in any of the model's languages
    // (an export of the questionnaire as run in German).
    std::vector<core::Model> translations;
    for (const auto& lang : ctx.cycles.model_languages(cycle, ctx.store)) {
      if (lang == model->language) continue;
      if (const auto translated = ctx.cycles.model(cycle, ctx.store, lang))
        translations.push_back(*translated);
    }
    result = answers::import_survey_csv(r.csv, *r.mapping, *model, translations);
    problems.insert(problems.end(), result.problems.begin(), result.problems.end());
    if (result.ok()) {
      const auto org = ctx.store.find_organization(cycle.org_id);
      check_units(result, *org, problems);
      const auto keys = ctx.store.imported_source_keys(cycle.id);
      check_repeats(result, std::set<std::string>(keys.begin(), keys.end()), cycle.id, problems);
    }
  }
  if (cycle.status != store::CycleStatus::open) {
    problems.push_back(
        answers::ImportProblem{0, 0, "",
                               cycle.status == store::CycleStatus::closed
                                   ? "the cycle is closed; reopen it to import responses"
                                   : "the cycle is a draft; open it to import responses"});
  }
  if (r.preview) {
    return json_response(200, {{"ok", problems.empty()},
                               {"file_name", r.file_name},
                               {"mapping", r.mapping_name},
                               {"preview", answers::preview_json(result.preview)},
                               {"problems", answers::problems_json(problems)}});
  }
  // The error names the first problem; the preview lists them all.
  if (!problems.empty()) {
    const bool state = cycle.status != store::CycleStatus::open;
    return refuse(state ? 409 : 422, state ? "conflict" : "invalid_export",
                  answers::format(problems.front(), r.file_name) +
                      (problems.size() > 1
                           ? " (and " + std::to_string(problems.size() - 1) + " more problems)"
                           : ""));
  }

  const std::int64_t now = ctx.now();
  const store::SurveyImport record{new_id(),
                                   cycle.id,
                                   r.file_name,
                                   r.mapping_name,
                                   static_cast<std::int64_t>(result.respondents.size()),
                                   caller->user.id,
                                   now};
  std::vector<store::ImportedRespondent> people;
  people.reserve(result.respondents.size());
  for (const auto& who : result.respondents) {
    store::ImportedRespondent p;
    p.participant = store::Participant{new_id(), cycle.id, "",  who.role, who.unit,
                                       false,    now,      now, "",       std::nullopt};
    p.participant.import_id = record.id;
    p.source_key = source_key(cycle.id, who.id);
    p.typed_key = typed_key(cycle.id, who.id);
    for (const auto& [item, value] : who.answers)
      p.answers.push_back(store::StoredAnswer{model->items[item].id, value});
    for (const auto& [competency, text] : who.comments) {
      p.comments.push_back(
          store::StoredComment{model->competencies[competency].id, text, random_hex(16)});
    }
    people.push_back(std::move(p));
  }
  const auto written = ctx.store.import_respondents(
      record, people,
      audit_entry(ctx, *caller, cycle.org_id, "imports.create",
                  cycle.id + " " + record.id + " x" + std::to_string(people.size())));
  switch (written.outcome) {
    case store::ImportOutcome::imported:
      break;
    case store::ImportOutcome::not_found:
      return refuse(404, "not_found", "no such cycle");
    case store::ImportOutcome::cycle_not_open:
      return refuse(409, "conflict", "the cycle is no longer open; nothing was imported");
    case store::ImportOutcome::already_imported:
      return refuse(
          409, "already_imported",
          std::to_string(written.repeated.size()) +
              " of these respondents were imported into this cycle meanwhile; nothing was "
              "imported");
  }
  ctx.cycle_rows.erase(cycle.id);
  return json_response(
      201, {{"import", import_json(record)}, {"preview", answers::preview_json(result.preview)}});
}

http::Response list_imports(Context& ctx, const http::Request& request,
                            const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  json list = json::array();
  for (const auto& i : ctx.store.imports_of(cycle->id)) list.push_back(import_json(i));
  json mappings = json::array();
  for (const auto& name : answers::shipped_mapping_names()) {
    const auto parsed = answers::parse_survey_mapping(*answers::shipped_mapping_text(name), name);
    mappings.push_back(
        {{"name", name}, {"description", parsed.mapping ? parsed.mapping->description : ""}});
  }
  return json_response(200, {{"imports", list}, {"mappings", mappings}});
}

}  // namespace

void add_import_routes(http::Router& router, Context& ctx) {
  router.on_worker("GET", "/api/cycles/{cycle}/imports", bind(ctx, list_imports));
  router.on_worker("POST", "/api/cycles/{cycle}/imports", bind(ctx, post_import));
}

}  // namespace cxm::api
