// Serves a single-page web application from files held in memory: exact
// files with their content type, compression and cache headers, and
// index.html for every other browser route.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace cxm::http {

struct StaticFile {
  std::string_view path;  // "/index.html", "/assets/index-3f2a.js"
  std::string_view content_type;
  std::string_view body;
  std::string_view gzip_body;  // empty when compression does not pay
  std::string_view etag;       // quoted, e.g. "\"ab12\""
  bool immutable = false;      // the name carries a content hash: cache forever
};

class StaticSite {
 public:
  // `files` must hold "/index.html"; the views must outlive the site.
  explicit StaticSite(std::vector<StaticFile> files);

  // The response for a GET (or HEAD) of a file, or of index.html for any
  // other path outside /api (client-side routes); nullopt for requests it
  // does not serve.
  std::optional<Response> serve(const Request& request) const;

 private:
  const StaticFile* find(std::string_view path) const;
  std::vector<StaticFile> files_;  // sorted by path
  const StaticFile* index_ = nullptr;
};

}  // namespace cxm::http
