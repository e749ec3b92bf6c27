#include "api/app.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "../../tests/run_process.h"
#include "api/context.h"
#include "api/logo.h"
#include "store/store.h"

namespace cxm::api {
namespace {

using nlohmann::json;

const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "head", "options"};

// The operations of the document: (method, path, operation).
std::vector<std::tuple<std::string, std::string, json>> operations(const json& doc) {
  std::vector<std::tuple<std::string, std::string, json>> out;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (kMethods.contains(method)) out.emplace_back(method, path, operation);
    }
  }
  return out;
}

// A `$ref` to a named schema in components.schemas that exists.
bool names_a_schema(const json& doc, const json& schema) {
  const std::string prefix = "#/components/schemas/";
  if (!schema.is_object() || !schema.contains("$ref") || !schema["$ref"].is_string()) return false;
  const std::string ref = schema["$ref"];
  return ref.rfind(prefix, 0) == 0 &&
         doc["components"]["schemas"].contains(ref.substr(prefix.size()));
}

// The body schema of a response or request body (JSON, or the one media
// type a file download has), following a reference to components.responses.
json json_schema(const json& doc, json body) {
  if (body.contains("$ref")) {
    const std::string ref = body["$ref"];
    body = doc["components"]["responses"][ref.substr(ref.rfind('/') + 1)];
  }
  if (!body.contains("content") || body["content"].empty()) return nullptr;
  // A file (CSV, iCalendar) or an event stream names its schema under its
  // own media type.
  const json& content = body["content"].contains("application/json")
                            ? body["content"]["application/json"]
                            : body["content"].front();
  return content.value("schema", json(nullptr));
}

// The OpenAPI document describes every route the API serves, and nothing else.
TEST(OpenApi, DescribesEveryRoute) {
  cxm::testing::TempDir dir;
  auto store = store::Store::open(
      store::DatabaseUrl{store::DatabaseUrl::Kind::sqlite, dir.path() + "/x.db"});
  App app(*store, AppOptions{}, [] { return std::int64_t{0}; });
  const auto doc = json::parse(openapi_document());
  const auto routes = app.routes();
  EXPECT_EQ(operations(doc).size(), routes.size());
  for (const auto& [method, pattern] : routes) {
    std::string lower = method;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(doc["paths"].contains(pattern) && doc["paths"][pattern].contains(lower))
        << method << " " << pattern;
  }
}

// Every body has a named schema: a client can be generated from the document.
TEST(OpenApi, NamesTheSchemaOfEveryBody) {
  const auto doc = json::parse(openapi_document());
  // The routes that take no body; any other POST, PUT or PATCH must describe one.
  const std::set<std::string> bodiless = {
      "post /api/cycles/{cycle}/open",
      "post /api/cycles/{cycle}/close",
      "post /api/cycles/{cycle}/invitations/{participant}/revoke",
      "post /api/r/{token}/submit",
      "post /api/workshops/{workshop}/second-round",
      "post /api/workshops/{workshop}/first-round",
      "post /api/workshops/{workshop}/end",
      "post /api/cycles/{cycle}/reminders",
      "post /api/cycles/{cycle}/invitations/send"};
  for (const auto& [method, path, operation] : operations(doc)) {
    const std::string name = method + " " + path;
    int successes = 0;
    for (const auto& [status, response] : operation["responses"].items()) {
      const json schema = json_schema(doc, response);
      if (status.front() == '2') {
        ++successes;
        if (status == "204") {
          EXPECT_TRUE(schema.is_null()) << name << ": 204 has no body";
        } else if (schema.is_null() && response.contains("content") &&
                   response["content"].size() == 1) {
          // A body that is not JSON (an HTML page, a calendar): named too.
          const json& other = response["content"].begin().value();
          EXPECT_TRUE(names_a_schema(doc, other.value("schema", json(nullptr))))
              << name << " " << status;
        } else {
          EXPECT_TRUE(names_a_schema(doc, schema))
              << name << " " << status << ": no $ref to components.schemas";
        }
      } else {
        EXPECT_TRUE(status == "default" || status.front() == '4' || status.front() == '5')
            << name << " " << status;
        EXPECT_EQ(schema, json({{"$ref", "#/components/schemas/Error"}})) << name << " " << status;
      }
    }
    EXPECT_GE(successes, 1) << name << ": no 2xx response";
    EXPECT_TRUE(operation["responses"].contains("default"))
        << name << ": no default (error) response";
    if (method == "post" || method == "put" || method == "patch") {
      if (bodiless.contains(name)) {
        EXPECT_FALSE(operation.contains("requestBody")) << name;
      } else {
        EXPECT_TRUE(operation.contains("requestBody") &&
                    names_a_schema(doc, json_schema(doc, operation["requestBody"])))
            << name << ": no requestBody with a $ref to components.schemas";
      }
    }
  }
}

// Every reference in the document leads somewhere.
TEST(OpenApi, ReferencesResolve) {
  const auto doc = json::parse(openapi_document());
  std::vector<const json*> pending = {&doc};
  std::size_t refs = 0;
  while (!pending.empty()) {
    const json& node = *pending.back();
    pending.pop_back();
    if (node.is_object() && node.contains("$ref") && node["$ref"].is_string()) {
      ++refs;
      const std::string ref = node["$ref"];
      ASSERT_EQ(ref.rfind("#/", 0), 0u) << ref;
      EXPECT_TRUE(doc.contains(json::json_pointer(ref.substr(1)))) << ref;
    }
    if (node.is_structured()) {
      for (const auto& child : node) pending.push_back(&child);
    }
  }
  EXPECT_GT(refs, 50u);
}

// The next cycle's due date: calendar months in UTC, the day clipped to
// the month's last.
TEST(DueDates, MonthsAfterACloseClipToTheMonthsLastDay) {
  EXPECT_EQ(months_after(1788177600000, 6), "2027-02-28");  // 31 Aug 2026, 12:00 UTC
  EXPECT_EQ(months_after(1819753200000, 6), "2028-02-29");  // 31 Aug 2027, 23:00 UTC: a leap year
  EXPECT_EQ(months_after(1795737600000, 6), "2027-05-27");  // 27 Nov 2026, 00:00 UTC
  EXPECT_EQ(months_after(1795737600000, 0), "2026-11-27");
  EXPECT_EQ(utc_date(1788177600000), "2026-08-31");
}

// A stored logo is served only when its bytes check as a PNG or JPEG now,
// with the type the check found: a row copied from an organization file
// (cxm import-org) saying "text/html" is never served as such.
TEST(LogoResponse, ServesOnlyBytesThatCheckAsAnImageWithTheirRealType) {
  EXPECT_FALSE(logo_response({"<script>alert(1)</script>", "text/html", 1}));
  EXPECT_FALSE(logo_response({"", "image/png", 1}));
  const std::string png(
      "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
      "\0\0\0\rIDATx\x9c"
      "c\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xae"
      "B`\x82",
      67);
  const auto served = logo_response({png, "text/html", 1});
  ASSERT_TRUE(served);
  EXPECT_EQ(served->content_type, "image/png");
  EXPECT_EQ(served->body, png);
}

}  // namespace
}  // namespace cxm::api
