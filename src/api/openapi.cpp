// The OpenAPI 3 document for /api is src/api/openapi.json, maintained by
// hand; the build embeds it (cmake/embed_string.cmake). A test checks that
// it lists every route the router serves, each with a named schema for its
// bodies; the web client's types are generated from the same file.
#include <string_view>

#include "api/app.h"

namespace cxm::api {

std::string_view openapi_json();  // generated from src/api/openapi.json

std::string openapi_document() { return std::string(openapi_json()); }

}  // namespace cxm::api
