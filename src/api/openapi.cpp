// The OpenAPI 3 document for /api. Each route is listed once here; a test
// checks that every route the router serves appears in it.
#include <nlohmann/json.hpp>

#include "api/app.h"

namespace cxm::api {
namespace {

struct Operation {
  const char* method;
  const char* path;
  const char* summary;
  const char* tag;
  bool authenticated;
};

constexpr Operation kOperations[] = {
    {"get", "/api/health", "Health check: 200 {\"status\":\"ok\"} when the database answers", "system", false},
    {"get", "/api/openapi.json", "This document", "system", false},
    {"get", "/api/setup", "Whether the first admin still has to be created", "accounts", false},
    {"post", "/api/setup", "Create the first admin (only while no user exists) and log in", "accounts", false},
    {"get", "/api/session", "The signed-in user and the CSRF token", "accounts", true},
    {"post", "/api/session", "Log in with e-mail and password (rate limited)", "accounts", false},
    {"delete", "/api/session", "Log out", "accounts", true},
    {"get", "/api/orgs", "Organizations the user can see", "organizations", true},
    {"post", "/api/orgs", "Create an organization (the creator becomes its owner)", "organizations", true},
    {"get", "/api/orgs/{org}", "One organization", "organizations", true},
    {"patch", "/api/orgs/{org}", "Edit name, industry, size band and units (a unit in use cannot be removed)", "organizations", true},
    {"get", "/api/orgs/{org}/cycles", "The organization's assessment cycles", "cycles", true},
    {"post", "/api/orgs/{org}/cycles", "Create a cycle (draft) on the default or a given model", "cycles", true},
    {"get", "/api/cycles/{cycle}", "One cycle with its live response counts", "cycles", true},
    {"patch", "/api/cycles/{cycle}", "Edit a draft cycle's settings", "cycles", true},
    {"post", "/api/cycles/{cycle}/open", "Open (or reopen) a cycle for answers", "cycles", true},
    {"post", "/api/cycles/{cycle}/close", "Close a cycle: answers are refused with 409", "cycles", true},
    {"get", "/api/cycles/{cycle}/responses", "Live response counts per role and unit", "cycles", true},
    {"get", "/api/cycles/{cycle}/invitations", "Participant links (without their tokens)", "invitations", true},
    {"post", "/api/cycles/{cycle}/invitations", "Create personal links or a batch of anonymous links", "invitations", true},
    {"post", "/api/cycles/{cycle}/invitations/{participant}/revoke", "Revoke a link", "invitations", true},
    {"get", "/api/r/{token}", "Participant: the questionnaire, saved answers and progress", "participant", false},
    {"put", "/api/r/{token}/answers", "Participant: save a batch of answers (idempotent)", "participant", false},
    {"post", "/api/r/{token}/submit", "Participant: submit; answers become read-only", "participant", false},
    {"get", "/api/cycles/{cycle}/report", "The cycle's scored result; ?role= or ?unit= for one segment", "reports", true},
};

}  // namespace

std::string openapi_document() {
  using nlohmann::json;
  json error_schema = {{"type", "object"},
                       {"properties",
                        {{"error",
                          {{"type", "object"},
                           {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}};
  json paths = json::object();
  for (const Operation& op : kOperations) {
    json operation = {{"summary", op.summary},
                      {"tags", {op.tag}},
                      {"responses",
                       {{"200", {{"description", "OK"}, {"content", {{"application/json", json::object()}}}}},
                        {"default",
                         {{"description", "Error"},
                          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}};
    if (op.authenticated) operation["security"] = {{{"session", json::array()}}};
    json parameters = json::array();
    const std::string path = op.path;
    for (std::size_t at = path.find('{'); at != std::string::npos; at = path.find('{', at + 1)) {
      const std::string name = path.substr(at + 1, path.find('}', at) - at - 1);
      parameters.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
    if (!parameters.empty()) operation["parameters"] = parameters;
    paths[path][op.method] = operation;
  }
  json doc = {{"openapi", "3.0.3"},
              {"info", {{"title", "cxm API"}, {"version", "0.1.0"}}},
              {"paths", paths},
              {"components",
               {{"schemas", {{"Error", error_schema}}},
                {"securitySchemes",
                 {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "cxm_session"}}}}}}}};
  return doc.dump();
}

}  // namespace cxm::api
