// Internal to src/api: a request's JSON body and its fields, read into
// typed values or refused naming the field (api/outcome.h); and the JSON
// response.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/outcome.h"
#include "http/message.h"
#include "peers/dataset_metadata.h"

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

// An imported dataset's provenance (benchmark and customer-ratings
// datasets): each of the body's fields name, source, citation, licence,
// published_on and synthetic, else what the file's metadata says. Name,
// source and licence must be given one way or the other; `what` names the
// data in the messages ("say who collected the data").
Outcome<peers::DatasetMetadata> dataset_provenance(const json& body,
                                                   const peers::DatasetMetadata& from_file,
                                                   const std::string& what);

// Whether a dataset import's body gives its rows as the JSON form
// ("dataset") rather than as CSV text ("csv"); 422 unless exactly one is
// given (`csv_text` says what the CSV is, e.g. "PEERS.csv text").
Outcome<bool> gives_json_dataset(const json& body, const std::string& csv_text);

// 422 for a CSV document whose cell at `line` and `column` (0: unknown) is
// wrong: "csv: line 4, column 2: MESSAGE; nothing was imported".
Refusal invalid_csv(std::size_t line, std::size_t column, const std::string& message);

http::Response json_response(int status, const json& body);

}  // namespace cxm::api
