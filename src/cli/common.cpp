#include "cli/common.h"

#include <chrono>
#include <iostream>

#include "model/model_parser.h"
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
