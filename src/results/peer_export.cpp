#include "results/peer_export.h"

#include <algorithm>
#include <set>

#include "report/csv.h"
#include "secrets/secrets.h"

namespace cxm::results {

PeerExport peer_rows(Results& results, const std::vector<store::Organization>& orgs,
                     std::optional<core::Day> since) {
  PeerExport out;
  std::set<std::string> pseudonyms;
  // Independent organizations only, as the pool counts them: a dataset made
  // of this export must not count one person's many organizations as many.
  const auto latest = independent_assessments(
      results, latest_assessments(results, orgs, {since, std::nullopt, std::nullopt}), "");
  for (const auto& a : latest) {
    for (const auto& [id, score] : a.scores.scores.competencies) {
      if (std::find(out.competency_ids.begin(), out.competency_ids.end(), id) ==
          out.competency_ids.end()) {
        out.competency_ids.push_back(id);
      }
    }
  }
  for (const auto& a : latest) {
    PeerRow row;
    while (row.pseudonym.empty() || !pseudonyms.insert(row.pseudonym).second) {
      row.pseudonym = "client-" + secrets::random_hex(4);
    }
    row.industry = a.org->industry;
    row.size_band = a.org->size_band;
    row.assessed_on = core::format_iso_date(a.assessed_on);
    row.model_id = a.scores.model_id;
    row.stage = *a.scores.stage;
    row.overall = *a.scores.scores.overall;
    for (const auto& id : out.competency_ids) {
      std::optional<double> score;
      for (const auto& [their_id, value] : a.scores.scores.competencies) {
        if (their_id == id) score = value;
      }
      row.competencies.push_back(score);
    }
    out.rows.push_back(std::move(row));
  }
  // In pseudonym order: the order of creation would link rows to organizations.
  std::sort(out.rows.begin(), out.rows.end(),
            [](const PeerRow& a, const PeerRow& b) { return a.pseudonym < b.pseudonym; });
  return out;
}

std::string write_peers_csv(const PeerExport& peers) {
  using report::csv_field;
  using report::csv_number;
  // A byte-order mark for Excel (cxm's readers skip it); scores to 2
  // decimals, as the report's CSV files give them.
  std::string csv = std::string(report::kUtf8Bom) +
                    "organization,industry,size_band,region,assessed_on,model_id,stage,overall";
  for (const auto& id : peers.competency_ids) csv += "," + csv_field(id);
  csv += "\n";
  for (const auto& row : peers.rows) {
    csv += row.pseudonym + "," + csv_field(row.industry) + "," + csv_field(row.size_band) + ",," +
           row.assessed_on + "," + csv_field(row.model_id) + "," + std::to_string(row.stage) + "," +
           csv_number(row.overall, 2);
    for (const auto& score : row.competencies)
      csv += "," + (score ? csv_number(*score, 2) : std::string());
    csv += "\n";
  }
  return csv;
}

std::string write_peers_json(const PeerExport& peers, const peers::DatasetMetadata& m) {
  nlohmann::ordered_json doc;
  auto& meta = doc["metadata"];
  for (const auto& [key, value] : {std::pair{"name", &m.name},
                                   {"source", &m.source},
                                   {"citation", &m.citation},
                                   {"licence", &m.licence},
                                   {"date", &m.date}}) {
    if (!value->empty()) meta[key] = *value;
  }
  meta["synthetic"] = false;
  doc["rows"] = nlohmann::ordered_json::array();
  for (const auto& row : peers.rows) {
    nlohmann::ordered_json r = {{"organization", row.pseudonym},
                                {"industry", row.industry},
                                {"size_band", row.size_band},
                                {"region", nullptr},
                                {"assessed_on", row.assessed_on},
                                {"model_id", row.model_id},
                                {"stage", row.stage},
                                {"overall", row.overall}};
    for (std::size_t i = 0; i < peers.competency_ids.size(); ++i) {
      const auto& score = row.competencies[i];
      r[peers.competency_ids[i]] =
          score ? nlohmann::ordered_json(*score) : nlohmann::ordered_json(nullptr);
    }
    doc["rows"].push_back(std::move(r));
  }
  return doc.dump(2) + "\n";
}

}  // namespace cxm::results
