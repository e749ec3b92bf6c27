#include "results/cycle_cache.h"

#include <stdexcept>

#include "core/forms.h"
#include "model/model_parser.h"
#include "model/translation_parser.h"

namespace cxm::results {
namespace {

std::shared_ptr<const core::Model> parse_snapshot(const std::string& yaml) {
  auto parsed = model::parse_model(yaml, "cycle model");
  // A stored snapshot was valid when stored: this is corrupt data (500),
  // not a database that is unavailable for a while (StoreError, 503).
  if (!parsed.model) throw std::runtime_error("a cycle's model snapshot does not parse");
  return std::make_shared<const core::Model>(std::move(*parsed.model));
}

// The questionnaire a cycle asks of its whole model. A pulse of a model
// without a pulse form is refused when it is set.
std::shared_ptr<const core::Model> form_of(const store::Cycle& cycle,
                                           std::shared_ptr<const core::Model> whole) {
  if (!cycle.pulse || !core::has_pulse_form(*whole)) return whole;
  return std::make_shared<const core::Model>(core::questionnaire_form(*whole, core::Form::pulse));
}

}  // namespace

std::shared_ptr<const core::Model> CycleCache::model(const store::Cycle& cycle,
                                                     store::Store& store) {
  if (auto cached = cached_model(cycle)) return cached;
  auto shared =
      form_of(cycle, parse_snapshot(cycle.model_yaml.empty() ? store.cycle_model_yaml(cycle.id)
                                                             : cycle.model_yaml));
  std::lock_guard lock(mutex_);
  models_.emplace(std::pair(cycle.id, cycle.pulse), shared);
  return shared;
}

void CycleCache::preload_models(const std::vector<store::Cycle>& cycles, store::Store& store) {
  std::vector<std::string> ids;
  for (const auto& c : cycles) {
    if (!cached_model(c)) ids.push_back(c.id);
  }
  if (ids.empty()) return;
  const auto yamls = store.cycle_model_yamls(ids);
  std::map<std::string, std::shared_ptr<const core::Model>> parsed_once;  // by snapshot text
  for (const auto& c : cycles) {
    const auto yaml = yamls.find(c.id);
    if (yaml == yamls.end()) continue;
    auto& whole = parsed_once[yaml->second];
    if (!whole) whole = parse_snapshot(yaml->second);
    auto shared = form_of(c, whole);
    std::lock_guard lock(mutex_);
    models_.emplace(std::pair(c.id, c.pulse), std::move(shared));
  }
}

std::shared_ptr<const core::Model> CycleCache::cached_model(const store::Cycle& cycle) {
  std::lock_guard lock(mutex_);
  const auto it = models_.find({cycle.id, cycle.pulse});
  return it == models_.end() ? nullptr : it->second;
}

std::shared_ptr<const core::Model> CycleCache::cached_model(const store::Cycle& cycle,
                                                            const std::string& lang) {
  auto base = cached_model(cycle);
  if (!base || lang.empty() || lang == base->language) return base;
  std::lock_guard lock(mutex_);
  const auto it = translated_.find({cycle.id, cycle.pulse, lang});
  return it == translated_.end() ? nullptr : it->second;
}

std::shared_ptr<const core::Model> CycleCache::model(const store::Cycle& cycle, store::Store& store,
                                                     const std::string& lang) {
  auto base = model(cycle, store);
  if (lang.empty() || lang == base->language) return base;
  if (auto cached = cached_model(cycle, lang)) return cached;
  const auto yamls = store.cycle_translation_yamls(cycle.id);
  const auto yaml = yamls.find(lang);
  if (yaml == yamls.end()) return nullptr;
  // A translation covers the whole model; a pulse asks part of it.
  const auto whole = parse_snapshot(cycle.model_yaml.empty() ? store.cycle_model_yaml(cycle.id)
                                                             : cycle.model_yaml);
  auto parsed = model::parse_translation(yaml->second, "cycle translation " + lang, *whole);
  if (!parsed.model) throw std::runtime_error("a cycle's translation snapshot does not parse");
  auto shared = form_of(cycle, std::make_shared<const core::Model>(std::move(*parsed.model)));
  std::lock_guard lock(mutex_);
  translated_.emplace(std::tuple(cycle.id, cycle.pulse, lang), shared);
  return shared;
}

std::vector<std::string> CycleCache::model_languages(const store::Cycle& cycle,
                                                     store::Store& store) {
  {
    std::lock_guard lock(mutex_);
    const auto it = languages_.find(cycle.id);
    if (it != languages_.end()) return it->second;
  }
  std::vector<std::string> languages{model(cycle, store)->language};
  for (const auto& [lang, yaml] : store.cycle_translation_yamls(cycle.id)) {
    if (lang != languages.front()) languages.push_back(lang);
  }
  std::lock_guard lock(mutex_);
  languages_.emplace(cycle.id, languages);
  return languages;
}

std::string offered_language(const store::Cycle& cycle, std::string_view requested) {
  for (const auto& lang : cycle.languages) {
    if (lang == requested) return lang;
  }
  return cycle.languages.empty() ? std::string("en") : cycle.languages.front();
}

std::shared_ptr<const CycleReport> CycleCache::report(const store::Cycle& cycle,
                                                      const std::string& filter) {
  std::lock_guard lock(mutex_);
  const auto it = reports_.find({cycle.id, filter});
  if (it == reports_.end() || it->second.first != cycle.answers_version) return nullptr;
  return it->second.second;
}

std::shared_ptr<const CycleReport> CycleCache::put_report(
    const store::Cycle& cycle, const std::string& filter,
    std::shared_ptr<const CycleReport> report) {
  std::lock_guard lock(mutex_);
  reports_[{cycle.id, filter}] = {cycle.answers_version, report};
  return report;
}

std::shared_ptr<const core::PeerIndex> BenchmarkIndexCache::get(const std::string& dataset_id) {
  std::lock_guard lock(mutex_);
  for (auto it = kept_.begin(); it != kept_.end(); ++it) {
    if (it->first != dataset_id) continue;
    auto found = std::move(*it);
    kept_.erase(it);
    kept_.push_back(found);
    return found.second;
  }
  return nullptr;
}

std::shared_ptr<const core::PeerIndex> BenchmarkIndexCache::put(
    const std::string& dataset_id, std::shared_ptr<const core::PeerIndex> index) {
  std::lock_guard lock(mutex_);
  std::erase_if(kept_, [&](const auto& entry) { return entry.first == dataset_id; });
  kept_.emplace_back(dataset_id, index);
  if (kept_.size() > kKept) kept_.erase(kept_.begin());
  return index;
}

}  // namespace cxm::results
