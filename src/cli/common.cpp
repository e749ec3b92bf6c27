#include "cli/common.h"

#include <ostream>

#include "model/model_parser.h"

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

}  // namespace cxm::cli
