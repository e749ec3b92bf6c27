#include "cli/common.h"

#include <chrono>
#include <iostream>

#include "model/model_parser.h"
#include "model/translation_parser.h"
#include "report/summary_text.h"
#include "store/store.h"

namespace cxm::cli {

std::optional<core::Model> load_model(const std::string& path, std::ostream& err) {
  auto result = path.empty() ? model::load_default_model() : model::load_model_file(path);
  if (result.model) return std::move(result.model);
  err << model::format(result.diagnostics.front());
  if (result.diagnostics.size() > 1) {
    err << " (and " << result.diagnostics.size() - 1 << " more; run: cxm model validate " << path
        << ")";
  }
  err << '\n';
  return std::nullopt;
}

namespace {

// One translation's text parsed against `model`; its first problem on `err`.
std::optional<core::Model> localized(std::string_view text, const std::string& name,
                                     const core::Model& model, std::ostream& err) {
  auto result = model::parse_translation(text, name, model);
  if (result.model) return std::move(result.model);
  err << model::format(result.diagnostics.front());
  if (result.diagnostics.size() > 1) err << " (and " << result.diagnostics.size() - 1 << " more)";
  err << '\n';
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<core::Model>> load_translations(const std::string& path,
                                                          const core::Model& model,
                                                          std::ostream& err) {
  std::vector<core::Model> translations;
  if (path.empty()) {
    for (const auto& t : model::default_translations()) {
      auto m = localized(t.text, std::string(t.name), model, err);
      if (!m) return std::nullopt;
      translations.push_back(std::move(*m));
    }
    return translations;
  }
  for (const auto& [language, file] : model::translation_files(path)) {
    std::string error;
    const auto text = model::read_file(file, error);
    if (!text) {
      err << file << ": " << error << '\n';
      return std::nullopt;
    }
    auto m = localized(*text, file, model, err);
    if (!m) return std::nullopt;
    translations.push_back(std::move(*m));
  }
  return translations;
}

std::vector<std::string> model_languages(const core::Model& model,
                                         const std::vector<core::Model>& translations) {
  std::vector<std::string> languages{model.language};
  for (const auto& t : translations) languages.push_back(t.language);
  return languages;
}

std::optional<core::Model> model_in_language(const core::Model& model,
                                             const std::vector<core::Model>& translations,
                                             const std::string& lang, const std::string& what,
                                             std::ostream& err) {
  if (lang.empty() || lang == model.language) return model;
  for (const auto& t : translations) {
    if (t.language == lang) return t;
  }
  std::string available;
  for (const auto& l : model_languages(model, translations))
    available += (available.empty() ? "" : ", ") + l;
  err << what << ": the model '" << model.id << "' is not available in '" << lang
      << "' (available: " << available << ")\n";
  return std::nullopt;
}

std::unique_ptr<store::Store> open_store(const std::string& db, std::size_t readers) {
  std::string error;
  const auto url = store::parse_database_url(db, error);
  if (!url) {
    std::cerr << "cxm: --db: " << error << '\n';
    return nullptr;
  }
  try {
    store::StoreOptions options;
    options.readers = readers;
    return store::Store::open(*url, options);
  } catch (const store::StoreError& e) {
    std::cerr << "cxm: " << e.what() << '\n';
    return nullptr;
  }
}

std::optional<store::Organization> find_org(store::Store& store, const std::string& key) {
  if (auto org = store.find_organization(key)) return org;
  store::User everyone;
  everyone.is_admin = true;
  std::optional<store::Organization> found;
  for (auto& org : store.organizations_for(everyone)) {
    if (org.name == key) found = std::move(org);
  }
  return found;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int print_score_document(const std::string& document, const std::string& format,
                         const std::string& source) {
  if (format == "json") {
    std::cout << document;
    if (document.empty() || document.back() != '\n') std::cout << '\n';
  } else {
    const auto style = format == "md" ? report::SummaryStyle::markdown : report::SummaryStyle::text;
    const auto rendered = report::render_summary(document, style);
    if (!rendered.error.empty()) {
      std::cerr << source << ": " << rendered.error << '\n';
      return kExitBadInput;
    }
    std::cout << rendered.output;
  }
  std::cout.flush();
  return std::cout.good() ? kExitOk : kExitFailure;
}

}  // namespace cxm::cli
