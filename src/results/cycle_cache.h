// What a process keeps of cycles' results between requests: each cycle's
// parsed questionnaire model (immutable) and its reports per filter, valid
// while the cycle's answers_version is unchanged. The version is read with
// the cycle row, which every process forgets when any process announces a
// change of the cycle (store/change_feed.h). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/benchmark.h"
#include "core/model.h"
#include "store/store.h"

namespace cxm::results {

class CycleReport;  // results/cycle_report.h

class CycleCache {
 public:
  // The cycle's questionnaire model, parsed once per process from its
  // snapshot: the pulse form (core/forms.h) when the cycle is a pulse.
  // Blocks on a miss (reads the snapshot). Throws std::runtime_error
  // when the stored snapshot does not parse (corrupt data).
  std::shared_ptr<const core::Model> model(const store::Cycle& cycle, store::Store& store);
  // The model when already parsed; never blocks.
  std::shared_ptr<const core::Model> cached_model(const store::Cycle& cycle);
  // The questionnaire model in `lang` (SPEC section 4.8): the model's own
  // for its own language, else its snapshot translation, parsed once per
  // process; ids and structure are the model's. nullptr when the cycle's
  // model has no such translation (see offered_language). Blocks on a miss.
  std::shared_ptr<const core::Model> model(const store::Cycle& cycle, store::Store& store,
                                           const std::string& lang);
  // Only from memory; nullptr when not parsed yet. Never blocks.
  std::shared_ptr<const core::Model> cached_model(const store::Cycle& cycle,
                                                  const std::string& lang);
  // The languages the cycle's model comes in (its own first, then its
  // translations by tag), whether or not the cycle offers them.
  std::vector<std::string> model_languages(const store::Cycle& cycle, store::Store& store);
  // Parses the models of those `cycles` not parsed yet, their snapshots
  // read in one query and each distinct snapshot parsed once (a list of
  // many organizations' cycles on the same model).
  void preload_models(const std::vector<store::Cycle>& cycles, store::Store& store);
  // A report under `filter` (results::report_key), when one was kept for
  // the cycle's current answers_version; else nullptr. Never blocks.
  std::shared_ptr<const CycleReport> report(const store::Cycle& cycle, const std::string& filter);
  // Keeps `report` for the cycle's answers_version; returns it.
  std::shared_ptr<const CycleReport> put_report(const store::Cycle& cycle,
                                                const std::string& filter,
                                                std::shared_ptr<const CycleReport> report);

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, bool>, std::shared_ptr<const core::Model>>
      models_;  // by cycle id, pulse
  std::map<std::tuple<std::string, bool, std::string>, std::shared_ptr<const core::Model>>
      translated_;                                             // by cycle id, pulse, language
  std::map<std::string, std::vector<std::string>> languages_;  // by cycle id
  std::map<std::pair<std::string, std::string>,
           std::pair<std::int64_t, std::shared_ptr<const CycleReport>>>
      reports_;
};

// The language to show a cycle in for a reader who asks for `requested`
// ("" when they ask for none): it when the cycle offers it, else the
// cycle's default (its first language).
std::string offered_language(const store::Cycle& cycle, std::string_view requested);

// Benchmark datasets indexed in memory (core::PeerIndex), by dataset id.
// A dataset never changes, so a kept index is always right; at most
// kKept are kept (each a few bytes per assessment and score).
class BenchmarkIndexCache {
 public:
  static constexpr std::size_t kKept = 4;
  std::shared_ptr<const core::PeerIndex> get(const std::string& dataset_id);
  std::shared_ptr<const core::PeerIndex> put(const std::string& dataset_id,
                                             std::shared_ptr<const core::PeerIndex> index);

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<const core::PeerIndex>>>
      kept_;  // most recent last
};

// Where results are computed from (the store) and what is kept of them:
// what the API and the CLI both hand to the functions of src/results/.
struct Results {
  explicit Results(store::Store& s) : store(s) {}
  store::Store& store;
  CycleCache cycles;
  BenchmarkIndexCache benchmark_indexes;
};

}  // namespace cxm::results
