#include "http/static_site.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace cxm::http {
namespace {

// Browsers may load our pages only from us; Svelte's style: directives need
// inline style attributes, nothing needs inline scripts. Participant links
// carry their token in the path, so no page sends a Referer.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: "
    "blob:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

bool accepts_gzip(const Request& request) {
  const auto accept = request.header("accept-encoding");
  if (!accept) return false;
  // "gzip" listed and not refused with q=0.
  const auto at = accept->find("gzip");
  if (at == std::string::npos) return false;
  const auto end = accept->find(',', at);
  const std::string part =
      accept->substr(at, end == std::string::npos ? std::string::npos : end - at);
  return part.find("q=0") == std::string::npos || part.find("q=0.") != std::string::npos;
}

bool etag_matches(const Request& request, std::string_view etag) {
  const auto header = request.header("if-none-match");
  if (!header) return false;
  return *header == "*" || header->find(etag) != std::string::npos;
}

}  // namespace

StaticSite::StaticSite(std::vector<StaticFile> files) : files_(std::move(files)) {
  std::sort(files_.begin(), files_.end(),
            [](const StaticFile& a, const StaticFile& b) { return a.path < b.path; });
  index_ = find("/index.html");
  if (!index_) throw std::invalid_argument("a static site needs /index.html");
}

const StaticFile* StaticSite::find(std::string_view path) const {
  const auto it =
      std::lower_bound(files_.begin(), files_.end(), path,
                       [](const StaticFile& f, std::string_view p) { return f.path < p; });
  return it != files_.end() && it->path == path ? &*it : nullptr;
}

std::optional<Response> StaticSite::serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  if (request.path == "/api" || request.path.rfind("/api/", 0) == 0) return std::nullopt;
  const StaticFile* file = find(request.path);
  if (!file) {
    // A missing asset is an error, not a page: answering it with HTML would
    // hide a broken build behind a MIME-type error in the browser.
    if (request.path.rfind("/assets/", 0) == 0)
      return error_response(404, "not_found", "no such file");
    file = index_;
  }
  Response r;
  r.content_type = std::string(file->content_type);
  r.headers.emplace_back("Cache-Control",
                         file->immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("ETag", std::string(file->etag));
  r.headers.emplace_back("Vary", "Accept-Encoding");
  if (file == index_) {
    r.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("X-Frame-Options", "DENY");
  }
  if (etag_matches(request, file->etag)) {
    r.status = 304;
    return r;
  }
  const bool gzip = !file->gzip_body.empty() && accepts_gzip(request);
  if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
  r.body = std::string(gzip ? file->gzip_body : file->body);
  return r;
}

}  // namespace cxm::http
