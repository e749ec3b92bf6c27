#include "api/app.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../../tests/run_process.h"
#include "store/store.h"

namespace cxm::api {
namespace {

// The OpenAPI document describes every route the API serves, and nothing else.
TEST(OpenApi, DescribesEveryRoute) {
  cxm::testing::TempDir dir;
  auto store = store::Store::open(store::DatabaseUrl{store::DatabaseUrl::Kind::sqlite, dir.path() + "/x.db"}, 1);
  App app(*store, AppOptions{}, [] { return std::int64_t{0}; });
  const auto doc = nlohmann::json::parse(openapi_document());
  std::size_t operations = 0;
  for (const auto& [path, methods] : doc["paths"].items()) operations += methods.size();
  const auto routes = app.routes();
  EXPECT_EQ(operations, routes.size());
  for (const auto& [method, pattern] : routes) {
    std::string lower = method;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(doc["paths"].contains(pattern) && doc["paths"][pattern].contains(lower)) << method << " " << pattern;
  }
}

}  // namespace
}  // namespace cxm::api
