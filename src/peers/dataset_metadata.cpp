#include "peers/dataset_metadata.h"

#include <array>
#include <nlohmann/json.hpp>

#include "core/benchmark.h"
#include "model/utf8.h"

namespace cxm::peers {

std::string read_dataset_metadata(const nlohmann::ordered_json& doc, DatasetMetadata& m) {
  static constexpr std::array<const char*, 6> kFields = {"name",    "source", "citation",
                                                         "licence", "date",   "synthetic"};
  m = DatasetMetadata{};
  if (!doc.is_object() || !doc.contains("metadata")) return {};
  const auto& meta = doc["metadata"];
  if (!meta.is_object()) return "metadata: must be an object";
  for (const auto& [key, value] : meta.items()) {
    bool known = false;
    for (const char* k : kFields) known = known || key == k;
    if (!known) {
      return "metadata: unknown field '" + model::printable(key) +
             "' (name, source, citation, licence, date, synthetic)";
    }
    if (key == "synthetic") {
      if (!value.is_boolean()) return "metadata, field synthetic: must be true or false";
      m.synthetic = value.get<bool>();
      continue;
    }
    if (!value.is_string()) return "metadata, field " + key + ": must be text";
    const auto text = value.get<std::string>();
    if (text.size() > 1000) return "metadata, field " + key + ": at most 1000 characters";
    if (key == "name") m.name = text;
    if (key == "source") m.source = text;
    if (key == "citation") m.citation = text;
    if (key == "licence") m.licence = text;
    if (key == "date") {
      if (!text.empty() && !core::parse_iso_date(text))
        return "metadata, field date: must be a date as YYYY-MM-DD";
      m.date = text;
    }
  }
  return {};
}

bool looks_like_json(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{';
}

}  // namespace cxm::peers
