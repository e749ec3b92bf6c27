#include "store/database_url.h"

#include <cctype>
#include <utility>
#include <vector>

namespace cxm::store {

namespace {

std::optional<std::string> percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      return std::nullopt;
    }
    out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return out;
}

// "user:password@host:port/db?k=v" -> "user='..' password='..' host=.. ..."
// SOCI hands libpq a keyword string, so URLs are translated here.
std::optional<std::string> libpq_keywords(const std::string& rest) {
  std::string authority = rest, path, query;
  if (const auto q = authority.find('?'); q != std::string::npos) {
    query = authority.substr(q + 1);
    authority.resize(q);
  }
  if (const auto slash = authority.find('/'); slash != std::string::npos) {
    path = authority.substr(slash + 1);
    authority.resize(slash);
  }
  std::vector<std::pair<std::string, std::string>> keywords;
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    const std::string userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    keywords.emplace_back("user", userinfo.substr(0, colon));
    if (colon != std::string::npos) keywords.emplace_back("password", userinfo.substr(colon + 1));
  }
  if (!authority.empty()) {
    const auto colon = authority.rfind(':');
    keywords.emplace_back("host", authority.substr(0, colon));
    if (colon != std::string::npos) keywords.emplace_back("port", authority.substr(colon + 1));
  }
  if (!path.empty()) keywords.emplace_back("dbname", path);
  std::size_t at = 0;
  while (at < query.size()) {
    std::size_t end = query.find('&', at);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(at, end - at);
    const auto eq = pair.find('=');
    if (eq == std::string::npos) return std::nullopt;
    keywords.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
    at = end + 1;
  }
  std::string out;
  for (const auto& [key, raw] : keywords) {
    const auto value = percent_decode(raw);
    if (!value || key.empty()) return std::nullopt;
    std::string quoted;
    for (char c : *value) {
      if (c == '\\' || c == '\'') quoted += '\\';
      quoted += c;
    }
    out += (out.empty() ? "" : " ") + key + "='" + quoted + "'";
  }
  return out;
}

}  // namespace

std::optional<DatabaseUrl> parse_database_url(const std::string& url, std::string& error) {
  if (url.rfind("sqlite:", 0) == 0) {
    DatabaseUrl parsed{DatabaseUrl::Kind::sqlite, url.substr(7)};
    if (parsed.target.empty()) {
      error = "sqlite: needs a file path, e.g. sqlite:data/cxm.db";
      return std::nullopt;
    }
    return parsed;
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto keywords = libpq_keywords(url.substr(url.find("://") + 3));
    if (!keywords) {
      error = "malformed PostgreSQL URL; expected postgresql://user:password@host:port/database";
      return std::nullopt;
    }
    return DatabaseUrl{DatabaseUrl::Kind::postgresql, *keywords};
  }
  error = "unsupported database URL; use sqlite:PATH or postgresql://...";
  return std::nullopt;
}

}  // namespace cxm::store
