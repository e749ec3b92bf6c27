#include "api/request_fields.h"

#include "core/benchmark.h"
#include "model/utf8.h"
#include "policy/names.h"

namespace cxm::api {

Outcome<json> json_body(const http::Request& request) {
  const auto type = request.header("content-type").value_or("");
  if (type.rfind("application/json", 0) != 0) {
    return refuse(415, "unsupported_media_type", "send the body as application/json");
  }
  if (const auto bad = model::find_invalid_utf8(request.body)) {
    return refuse(400, "malformed_json",
                  "the body is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  }
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return refuse(400, "malformed_json", "the body is not valid JSON");
  if (!body.is_object()) return refuse(422, "invalid", "the body must be a JSON object");
  return body;
}

Outcome<std::optional<std::string>> text_field(const json& body, const std::string& name,
                                               bool required, std::size_t max_length, Text kind) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return refuse(422, "invalid", name + ": required");
    return std::nullopt;
  }
  if (!it->is_string()) return refuse(422, "invalid", name + ": must be a string");
  const std::string& value = it->get_ref<const std::string&>();
  if (required && value.empty()) return refuse(422, "invalid", name + ": must not be empty");
  if (value.size() > max_length)
    return refuse(422, "invalid",
                  name + ": longer than " + std::to_string(max_length) + " characters");
  if (kind != Text::secret) {
    if (const auto at = policy::find_control_character(value, kind == Text::document)) {
      return refuse(
          422, "invalid",
          name + ": must not contain control characters (one at byte " + std::to_string(*at) + ")");
    }
  }
  return value;
}

Outcome<std::string> required_text(const json& body, const std::string& name,
                                   std::size_t max_length, Text kind) {
  CXM_TRY(text, text_field(body, name, true, max_length, kind));
  return std::move(*text);
}

Outcome<std::optional<long>> integer_field(const json& body, const std::string& name, long min,
                                           long max) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) return refuse(422, "invalid", name + ": must be a whole number");
  const long value =
      it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)
          ? max + 1
          : it->get<long>();
  if (value < min || value > max) {
    return refuse(
        422, "invalid",
        name + ": must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

Outcome<std::optional<bool>> bool_field(const json& body, const std::string& name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) return refuse(422, "invalid", name + ": must be true or false");
  return it->get<bool>();
}

http::Response json_response(int status, const json& body) {
  http::Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

Outcome<peers::DatasetMetadata> dataset_provenance(const json& body,
                                                   const peers::DatasetMetadata& from_file,
                                                   const std::string& what) {
  peers::DatasetMetadata p;
  CXM_TRY(name, text_field(body, "name", false));
  p.name = name.value_or(from_file.name);
  if (p.name.empty()) return refuse(422, "invalid", "name: must not be empty");
  CXM_TRY(source, text_field(body, "source", false, 500));
  p.source = source.value_or(from_file.source);
  if (p.source.empty()) return refuse(422, "invalid", "source: say who collected the " + what);
  CXM_TRY(citation, text_field(body, "citation", false, 1000));
  p.citation = citation.value_or(from_file.citation);
  CXM_TRY(licence, text_field(body, "licence", false));
  p.licence = licence.value_or(from_file.licence);
  if (p.licence.empty())
    return refuse(422, "invalid", "licence: say under which terms the " + what + " may be used");
  CXM_TRY(published_on, text_field(body, "published_on", false, 10));
  p.date = published_on.value_or(from_file.date);
  if (!p.date.empty() && !core::parse_iso_date(p.date))
    return refuse(422, "invalid", "published_on: must be a date as YYYY-MM-DD");
  CXM_TRY(synthetic, bool_field(body, "synthetic"));
  p.synthetic = synthetic.value_or(from_file.synthetic);
  return p;
}

Outcome<bool> gives_json_dataset(const json& body, const std::string& csv_text) {
  const bool csv = body.contains("csv"), dataset = body.contains("dataset");
  if (csv && dataset) {
    return refuse(422, "invalid",
                  "give the rows either as csv (" + csv_text +
                      ") or as dataset ({metadata, rows}), not both");
  }
  if (!csv && !dataset) {
    return refuse(422, "invalid",
                  "give the rows as csv (" + csv_text + ") or as dataset ({metadata, rows})");
  }
  return dataset;
}

Refusal invalid_csv(std::size_t line, std::size_t column, const std::string& message) {
  std::string place = "csv";
  if (line > 0) place += ": line " + std::to_string(line);
  if (column > 0) place += ", column " + std::to_string(column);
  return refuse(422, "invalid", place + ": " + message + "; nothing was imported");
}

}  // namespace cxm::api
