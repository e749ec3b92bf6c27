// Internal to src/api: a request's JSON body and its fields, read into
// typed values or refused naming the field (api/outcome.h); and the JSON
// response.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/outcome.h"
#include "http/message.h"

namespace cxm::api {

using nlohmann::json;

// The request body as a JSON object: 415 unless Content-Type is JSON, 400
// when malformed, 422 when not an object.
Outcome<json> json_body(const http::Request& request);

// What a text field may hold: a name or other one-line text refuses
// control characters (policy/names.h); a document (a model's YAML) allows
// tabs and line breaks; a secret (a password) is taken as it is.
enum class Text { line, document, secret };

// Field readers: nullopt when absent or null; 422 naming the field when
// missing (if required), of the wrong type, or out of bounds.
Outcome<std::optional<std::string>> text_field(const json& body, const std::string& name,
                                               bool required, std::size_t max_length = 200,
                                               Text kind = Text::line);
// A required text field, never empty.
Outcome<std::string> required_text(const json& body, const std::string& name,
                                   std::size_t max_length = 200, Text kind = Text::line);
Outcome<std::optional<long>> integer_field(const json& body, const std::string& name, long min,
                                           long max);
Outcome<std::optional<bool>> bool_field(const json& body, const std::string& name);

http::Response json_response(int status, const json& body);

}  // namespace cxm::api
