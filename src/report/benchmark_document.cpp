#include "report/benchmark_document.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "report/score_document.h"
#include "report/score_document_types.h"

namespace cxm::report {
namespace {

using nlohmann::json;

json optional_number(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}
json optional_text(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

json standing_json(const core::Standing& s) {
  return {{"score", optional_number(s.score)},
          {"percentile", optional_number(s.percentile)},
          {"n", s.n},
          {"median", optional_number(s.median)},
          {"q1", optional_number(s.q1)},
          {"q3", optional_number(s.q3)},
          {"missing", s.missing}};
}

std::optional<double> score_field(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) throw std::runtime_error(std::string("\"") + key + "\" is not a number");
  return it->get<double>();
}

}  // namespace

std::optional<OwnAssessment> own_assessment_from_score_document(std::string_view score_json,
                                                                std::string& error) {
  const json doc = json::parse(score_json, nullptr, false);
  if (doc.is_discarded()) {
    error = "not valid JSON";
    return std::nullopt;
  }
  if (!doc.is_object() || doc.value("schema", "") != kScoreSchema) {
    error = std::string("not a cxm score document (expected \"schema\": \"") + kScoreSchema +
            "\"; create one with cxm score --json)";
    return std::nullopt;
  }
  try {
    OwnAssessment own;
    own.model_id = doc.at("model").at("id").get<std::string>();
    if (doc.at("stage").is_null()) {
      error =
          "a pulse check has no stage and covers only some statements; benchmark a full assessment";
      return std::nullopt;
    }
    own.stage = doc.at("stage").at("number").get<int>();
    for (const auto& s : doc.at("stages"))
      own.stage_names.push_back(s.at("name").get<std::string>());
    own.scores.overall = score_field(doc, "overall_score");
    own.respondents = doc.at("respondents").get<long long>();
    own.imported = doc.value("imported", 0LL);
    own.min_group_size = doc.value("min_group_size", 0LL);
    for (const auto& c : doc.at("competencies")) {
      own.scores.competencies.push_back({c.at("id").get<std::string>(), score_field(c, "score")});
      own.competency_names.push_back(c.value("name", c.at("id").get<std::string>()));
    }
    return own;
  } catch (const std::exception& e) {
    error = std::string("incomplete score document: ") + e.what();
    return std::nullopt;
  }
}

std::optional<OwnAssessment> own_assessment_from_score_document(const ScoreDocument& doc,
                                                                std::string& error) {
  if (!doc.stage) {
    error =
        "a pulse check has no stage and covers only some statements; benchmark a full assessment";
    return std::nullopt;
  }
  OwnAssessment own;
  own.model_id = doc.model.id;
  own.stage = doc.stage->number;
  for (const auto& s : doc.stages) own.stage_names.push_back(s.name);
  own.scores.overall = doc.overall_score;
  own.respondents = doc.respondents;
  own.imported = doc.imported.value_or(0);
  own.min_group_size = doc.min_group_size;
  for (const auto& c : doc.competencies) {
    own.scores.competencies.push_back({c.id, c.score});
    own.competency_names.push_back(c.name);
  }
  return own;
}

std::string benchmark_document_json(const core::DatasetProvenance& dataset,
                                    std::size_t dataset_rows, const core::PeerFilter& filter,
                                    const OwnAssessment& own, const core::BenchmarkResult& result,
                                    int indent) {
  json doc;
  doc["schema"] = kBenchmarkSchema;
  doc["dataset"] = {
      {"name", dataset.name},
      {"source", dataset.source},
      {"citation", dataset.citation},
      {"licence", dataset.licence},
      {"published_on", dataset.published_on.empty() ? json(nullptr) : json(dataset.published_on)},
      {"synthetic", dataset.synthetic},
      {"assessments", dataset_rows}};
  auto day = [](const std::optional<core::Day>& d) {
    return d ? json(core::format_iso_date(*d)) : json(nullptr);
  };
  doc["filter"] = {{"model_id", optional_text(filter.model_id)},
                   {"industry", optional_text(filter.industry)},
                   {"size_band", optional_text(filter.size_band)},
                   {"region", optional_text(filter.region)},
                   {"since", day(filter.since)},
                   {"until", day(filter.until)}};
  doc["peers"] = result.peers;
  doc["missing"] = result.missing;
  doc["minimum_peers"] = core::kMinimumPeers;
  doc["overall"] = standing_json(result.overall);
  doc["competencies"] = json::array();
  for (std::size_t i = 0; i < result.competencies.size(); ++i) {
    const auto& c = result.competencies[i];
    json j = standing_json(c.standing);
    j["id"] = c.id;
    j["name"] = i < own.competency_names.size() ? own.competency_names[i] : c.id;
    j["in_dataset"] = c.standing.in_dataset;
    doc["competencies"].push_back(j);
  }
  json counts = json::array();
  // Every stage of our model, and any higher one the peers reached.
  const std::size_t stages = result.stage_counts.empty()
                                 ? 0
                                 : std::max(result.stage_counts.size(), own.stage_names.size());
  for (std::size_t s = 0; s < stages; ++s) {
    counts.push_back(
        {{"number", s + 1},
         {"name", s < own.stage_names.size() ? json(own.stage_names[s]) : json(nullptr)},
         {"peers", s < result.stage_counts.size() ? result.stage_counts[s] : 0}});
  }
  doc["stages"] = {{"ours", own.stage ? json(*own.stage) : json(nullptr)},
                   {"n", result.missing == 0 ? result.peers : 0},
                   {"counts", counts}};
  return doc.dump(indent);
}

}  // namespace cxm::report
