#include "cli/common.h"

#include <iostream>

#include "model/model_parser.h"
#include "report/summary_text.h"

namespace cxm::cli {

std::optional<core::Model> load_model(const std::string& path, std::ostream& err) {
  auto result = path.empty() ? model::load_default_model() : model::load_model_file(path);
  if (result.model) return std::move(result.model);
  err << model::format(result.diagnostics.front());
  if (result.diagnostics.size() > 1) {
    err << " (and " << result.diagnostics.size() - 1 << " more; run: cxm model validate " << path << ")";
  }
  err << '\n';
  return std::nullopt;
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
