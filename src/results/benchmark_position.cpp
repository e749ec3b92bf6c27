#include "results/benchmark_position.h"

#include <algorithm>
#include <stdexcept>

#include "peers/peers_csv.h"
#include "results/cycle_report.h"

namespace cxm::results {

core::Day assessed_on(const store::Cycle& cycle) {
  return static_cast<core::Day>(cycle.closes_at.value_or(cycle.created_at) / 86'400'000);
}

std::vector<LatestAssessment> latest_assessments(Results& results,
                                                 const std::vector<store::Organization>& orgs,
                                                 const AssessmentFilter& filter) {
  std::vector<LatestAssessment> rows;
  for (const auto& org : orgs) {
    if (org.demo) continue;
    const auto cycles = results.store.cycles_of(org.id);
    for (auto it = cycles.rbegin(); it != cycles.rend(); ++it) {
      if (it->status != store::CycleStatus::closed || it->pulse) continue;
      const core::Day day = assessed_on(*it);
      if ((filter.since && day < *filter.since) || (filter.until && day > *filter.until)) continue;
      const auto report = cycle_report(results, *it);
      if (!report || !report->document()) continue;
      std::string error;
      auto scores = report::own_assessment_from_score_document(*report->document(), error);
      if (!scores || !scores->stage || !scores->scores.overall) continue;  // nothing published
      if (filter.model_id && scores->model_id != *filter.model_id) continue;
      rows.push_back({&org, day, std::move(*scores)});
      break;
    }
  }
  return rows;
}

std::vector<LatestAssessment> independent_assessments(Results& results,
                                                      std::vector<LatestAssessment> rows,
                                                      const std::string& asking_org) {
  const auto members = results.store.members_by_org();
  const auto members_of = [&](const std::string& org_id) {
    const auto it = members.find(org_id);
    return it == members.end() ? std::vector<std::string>() : it->second;
  };
  std::vector<core::PoolCandidate> candidates;
  for (const auto& row : rows) {
    const auto own = row.scores.respondents - row.scores.imported;
    candidates.push_back({members_of(row.org->id), static_cast<std::size_t>(std::max(0LL, own)),
                          static_cast<std::size_t>(std::max(0LL, row.scores.min_group_size)),
                          row.assessed_on});
  }
  const auto kept = core::independent_peers(
      candidates, asking_org.empty() ? std::vector<std::string>() : members_of(asking_org));
  std::vector<LatestAssessment> out;
  for (const std::size_t i : kept) out.push_back(std::move(rows[i]));
  return out;
}

std::shared_ptr<const core::PeerIndex> dataset_index(Results& results,
                                                     const std::string& dataset_id) {
  if (auto index = results.benchmark_indexes.get(dataset_id)) return index;
  const auto parsed =
      peers::parse_peers_csv(results.store.benchmark_dataset_csv(dataset_id), dataset_id);
  // Stored datasets were validated at import.
  if (!parsed.table)
    throw std::runtime_error("stored benchmark dataset no longer parses: " + parsed.error->message);
  return results.benchmark_indexes.put(dataset_id,
                                       std::make_shared<const core::PeerIndex>(*parsed.table));
}

namespace {

// The pool as peers of `own_org`: every other member's latest assessment
// in the period on our model. Rows carry no name.
core::PeerTable pool_peers(Results& results, const std::string& own_org,
                           const core::PeerFilter& filter, const report::OwnAssessment& own) {
  std::vector<store::Organization> members;
  for (const auto& org_id : results.store.benchmark_pool_members()) {
    if (org_id == own_org) continue;
    if (auto org = results.store.find_organization(org_id)) members.push_back(std::move(*org));
  }
  core::PeerTable table;
  for (const auto& [id, score] : own.scores.competencies) table.competency_ids.push_back(id);
  const auto latest = independent_assessments(
      results, latest_assessments(results, members, {filter.since, filter.until, own.model_id}),
      own_org);
  for (const auto& theirs : latest) {
    core::PeerAssessment peer;
    peer.industry = theirs.org->industry;
    peer.size_band = theirs.org->size_band;
    peer.assessed_on = theirs.assessed_on;
    peer.model_id = theirs.scores.model_id;
    peer.stage = *theirs.scores.stage;
    peer.overall = *theirs.scores.scores.overall;
    for (const auto& [id, score] : own.scores.competencies) {
      std::optional<double> value;
      for (const auto& [their_id, their_score] : theirs.scores.scores.competencies) {
        if (their_id == id) value = their_score;
      }
      peer.competencies.push_back(value);
    }
    table.rows.push_back(std::move(peer));
  }
  return table;
}

json choices_json(const core::FilterChoices& choices) {
  return {{"industries", choices.industries},
          {"size_bands", choices.size_bands},
          {"regions", choices.regions}};
}

}  // namespace

json compare_cycle(Results& results, const store::Organization& org, const store::Cycle& cycle,
                   const std::string& dataset_id, core::PeerFilter filter) {
  const auto report = cycle_report(results, cycle);
  if (!report || !report->document()) return nullptr;
  std::string error;
  const auto own = report::own_assessment_from_score_document(*report->document(), error);
  if (!own) return nullptr;
  filter.model_id = own->model_id;
  json doc;
  if (dataset_id == kPool) {
    const core::PeerTable peers = pool_peers(results, org.id, filter, *own);
    const auto result = core::compare_with_peers(peers, filter, own->scores);
    const core::DatasetProvenance provenance{
        "Organizations on this cxm instance",
        "Closed cycles of the organizations that joined this instance's pool "
        "(the most recent in the period), anonymized; only organizations independent of yours "
        "count (no shared member, one per group of organizations that share members, at least "
        "3 respondents who answered themselves)",
        "",
        "",
        "",
        false};
    doc = json::parse(
        report::benchmark_document_json(provenance, peers.rows.size(), filter, *own, result, -1));
    // The pool's values are other organizations' on this instance: only
    // those enough organizations share are offered, so a rare industry
    // does not say that one such organization takes part.
    doc["choices"] =
        choices_json(core::filter_choices(peers, filter.model_id, core::kMinimumPeers));
  } else {
    const auto dataset = results.store.find_benchmark_dataset(dataset_id);
    if (!dataset) return nullptr;
    const auto index = dataset_index(results, dataset->id);
    const auto result = index->compare(filter, own->scores);
    const core::DatasetProvenance provenance{dataset->name,         dataset->source,
                                             dataset->citation,     dataset->licence,
                                             dataset->published_on, dataset->synthetic};
    doc = json::parse(
        report::benchmark_document_json(provenance, index->size(), filter, *own, result, -1));
    // A dataset's values are its publisher's; every one is offered.
    doc["choices"] = choices_json(index->choices(filter.model_id, 1));
  }
  doc["dataset"]["id"] = dataset_id;
  return doc;
}

json report_benchmark(Results& results, const store::Organization& org, const store::Cycle& cycle,
                      const std::optional<std::string>& dataset) {
  std::string chosen;
  if (dataset) {
    chosen = *dataset;
    if (chosen == kPool && !results.store.benchmark_pool_joined_at(org.id)) return nullptr;
  } else if (results.store.benchmark_pool_joined_at(org.id)) {
    chosen = kPool;
  } else {
    const auto datasets = results.store.benchmark_datasets();  // newest first
    if (datasets.empty()) return nullptr;
    chosen = datasets.front().id;
  }
  return compare_cycle(results, org, cycle, chosen, {});
}

}  // namespace cxm::results
