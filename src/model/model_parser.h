// Reads a maturity model from YAML (SPEC section 2) into a core::Model and
// validates it, reporting every problem as file:line:col: message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "model/diagnostic.h"

namespace cxm::model {

struct ModelParseResult {
  std::optional<core::Model> model;  // present exactly when diagnostics is empty
  std::vector<Diagnostic> diagnostics;
};

// Parses `text`; `file_name` is used only in diagnostics.
ModelParseResult parse_model(std::string_view text, std::string_view file_name);

// Reads and parses the file at `path`; an unreadable file is a diagnostic.
ModelParseResult load_model_file(const std::string& path);

// The default model (models/cx-maturity.yaml), compiled into the binary.
std::string_view default_model_text();
std::string_view default_model_name();
ModelParseResult load_default_model();

// Reads a whole file; nullopt (and `error` set) when it cannot be read.
std::optional<std::string> read_file(const std::string& path, std::string& error);

}  // namespace cxm::model
