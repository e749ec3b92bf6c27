// Reading YAML with every problem reported at its place (file:line:col),
// shared by the model and translation parsers. Includes yaml-cpp: include it
// only from src/model's .cpp files.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.h"
#include "model/utf8.h"

namespace cxm::model {

inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

inline bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

// Collects diagnostics while walking the YAML tree. Every accessor reports
// what is wrong at the node where it is wrong and returns nullopt.
// "en", "de", "pt-BR": a primary language of 2 or 3 lower-case letters and
// an optional region of 2 capitals.
inline bool is_language_tag(std::string_view tag) {
  const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  const std::size_t dash = tag.find('-');
  const std::string_view primary = tag.substr(0, dash);
  if (primary.size() < 2 || primary.size() > 3 ||
      !std::all_of(primary.begin(), primary.end(), lower))
    return false;
  if (dash == std::string_view::npos) return true;
  const std::string_view region = tag.substr(dash + 1);
  return region.size() == 2 && std::all_of(region.begin(), region.end(), upper);
}

class Reader;

// The YAML document of `text`, or nullopt with the problem reported: bytes
// that are not UTF-8, YAML syntax, or an empty file (`expected` says what
// the file should hold).
std::optional<YAML::Node> load_document(Reader& r, std::string_view text,
                                        const std::string& expected);

class Reader {
 public:
  Reader(std::string_view file, std::vector<Diagnostic>& out) : file_(file), out_(out) {}

  void error(const YAML::Node& at, const std::string& message) {
    const YAML::Mark mark = at.Mark();
    error(mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1, message);
  }
  void error(int line, int column, const std::string& message) {
    out_.push_back(Diagnostic{file_, line, column, message});
  }

  // Checks that `node` is a mapping with only `allowed` keys (each at most
  // once) and all `required` ones.
  bool mapping(const YAML::Node& node, const std::string& what,
               std::initializer_list<std::string_view> allowed,
               std::initializer_list<std::string_view> required) {
    if (!node.IsMap()) {
      error(node, what + " must be a mapping of keys to values");
      return false;
    }
    std::set<std::string> seen;
    for (const auto& pair : node) {
      const std::string key = pair.first.Scalar();
      if (!seen.insert(key).second) {
        error(pair.first, what + ": key '" + key + "' appears twice");
        continue;
      }
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string message = what + ": unknown key '" + key + "'";
      // Suggest a known key when the typo is small relative to the key.
      const std::size_t tolerance = std::max<std::size_t>(1, key.size() / 3);
      for (std::string_view candidate : allowed) {
        if (edit_distance(key, candidate) <= tolerance) {
          message += "; did you mean '" + std::string(candidate) + "'?";
          break;
        }
      }
      error(pair.first, message);
    }
    for (std::string_view key : required) {
      if (!node[std::string(key)])
        error(node, what + ": missing required key '" + std::string(key) + "'");
    }
    return true;
  }

  std::optional<std::string> text(const YAML::Node& map, const std::string& key,
                                  const std::string& what, bool required = true) {
    const YAML::Node node = map[key];
    if (!node) return required ? std::nullopt : std::optional<std::string>(std::string());
    if (!node.IsScalar() || node.Scalar().empty()) {
      error(node.IsNull() ? map : node, what + ": '" + key + "' must be non-empty text");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::optional<std::string> id(const YAML::Node& map, const std::string& key,
                                const std::string& what) {
    auto value = text(map, key, what);
    if (value && !is_valid_id(*value)) {
      error(map[key],
            what + ": '" + *value + "' is not a valid id (1-64 letters, digits, '_', '-' or '.')");
      return std::nullopt;
    }
    return value;
  }

  std::optional<long> integer(const YAML::Node& map, const std::string& key,
                              const std::string& what) {
    const YAML::Node node = map[key];
    if (!node) return std::nullopt;
    long value = 0;
    if (!node.IsScalar() || !YAML::convert<long>::decode(node, value)) {
      error(node.IsNull() ? map : node, what + ": '" + key + "' must be a whole number");
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> boolean(const YAML::Node& map, const std::string& key,
                              const std::string& what) {
    const YAML::Node node = map[key];
    if (!node) return std::nullopt;
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      error(node.IsNull() ? map : node, what + ": '" + key + "' must be true or false");
      return std::nullopt;
    }
    return value;
  }

  std::optional<double> number(const YAML::Node& map, const std::string& key,
                               const std::string& what) {
    const YAML::Node node = map[key];
    if (!node) return std::nullopt;
    double value = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value)) {
      error(node.IsNull() ? map : node, what + ": '" + key + "' must be a number");
      return std::nullopt;
    }
    return value;
  }

  // A sequence under `key`; reports when it is something else.
  std::optional<YAML::Node> list(const YAML::Node& map, const std::string& key,
                                 const std::string& what) {
    const YAML::Node node = map[key];
    if (!node) return std::nullopt;
    if (!node.IsSequence()) {
      error(node.IsNull() ? map : node, what + ": '" + key + "' must be a list");
      return std::nullopt;
    }
    return node;
  }

 private:
  std::string file_;
  std::vector<Diagnostic>& out_;
};

inline std::optional<YAML::Node> load_document(Reader& r, std::string_view text,
                                               const std::string& expected) {
  if (const auto bad = find_invalid_utf8(text)) {
    const Position p = position_of(text, *bad);
    r.error(p.line, p.column, "invalid UTF-8 byte sequence");
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    r.error(e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1,
            e.msg);
    return std::nullopt;
  }
  if (!root || root.IsNull()) {
    r.error(0, 0, "the file is empty; expected " + expected);
    return std::nullopt;
  }
  return root;
}

}  // namespace cxm::model
