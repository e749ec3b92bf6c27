// An organization's logo as an HTTP answer: for its members
// (GET /api/orgs/{org}/logo) and for a participant's link
// (GET /api/r/{token}/logo). Only checked PNG or JPEG bytes are stored
// (report/branding.h), and they are checked again here, since a row may
// have come from an organization file (cxm import-org); the answer says
// the type the check found, forbids sniffing
// (the server adds X-Content-Type-Options: nosniff to every answer) and
// running anything, and may be cached briefly: its address changes with
// the logo (?v=<when it changed>).
#pragma once

#include <optional>
#include <string>

#include "http/message.h"
#include "report/branding.h"
#include "store/records.h"

namespace cxm::api {

// nullopt when the stored bytes are not a logo (nothing to serve).
inline std::optional<http::Response> logo_response(const store::OrgLogo& logo) {
  const report::LogoCheck check = report::check_logo(logo.bytes);
  if (!check.error.empty()) return std::nullopt;
  http::Response response;
  response.content_type = check.type;
  response.body = logo.bytes;
  response.headers.emplace_back("Cache-Control", "private, max-age=300");
  response.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
  response.headers.emplace_back("Content-Disposition", "inline; filename=\"logo\"");
  return response;
}

// Where a logo that changed at `updated_at` is served, under `base`
// ("/api/orgs/ID" or "/api/r/TOKEN"); null JSON when there is none.
inline std::string logo_url(const std::string& base, std::int64_t updated_at) {
  return base + "/logo?v=" + std::to_string(updated_at);
}

}  // namespace cxm::api
