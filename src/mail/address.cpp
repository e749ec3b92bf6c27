#include "mail/address.h"

#include <algorithm>

#include "model/utf8.h"

namespace cxm::mail {
namespace {

constexpr std::size_t kMaxLocalBytes = 64;
constexpr std::size_t kMaxLabelBytes = 63;

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 atext, the characters of an unquoted local part besides dots.
bool is_atext(char c) {
  return is_ascii_alnum(c) ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// A character that no address holds, named for the error; empty when `c`
// is not one of them.
std::string forbidden_character(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (c == '\r' || c == '\n') return "a line break";
  if (c == ' ' || c == '\t') return "white space";
  if (u < 0x20 || u == 0x7f) return "a control character";
  if (c == '"') return "a quotation mark";
  if (c == '<' || c == '>') return "an angle bracket";
  if (c == ',') return "a comma";
  if (c == ';') return "a semicolon";
  if (c == '(' || c == ')' || c == '[' || c == ']' || c == '\\' || c == ':')
    return std::string("the character '") + c + "'";
  return {};
}

std::optional<std::string> local_part_error(std::string_view local) {
  if (local.empty()) return "the part before @ is empty";
  if (local.size() > kMaxLocalBytes) return "the part before @ is longer than 64 bytes";
  if (local.front() == '.' || local.back() == '.')
    return "the part before @ starts or ends with a dot";
  if (local.find("..") != std::string_view::npos) return "the part before @ has two dots in a row";
  for (char c : local) {
    if (c == '.' || is_atext(c)) continue;
    if (static_cast<unsigned char>(c) >= 0x80) return "the part before @ has a non-ASCII letter";
    return std::string("the part before @ has the character '") + c + "'";
  }
  return std::nullopt;
}

std::optional<std::string> label_error(std::string_view label) {
  if (label.empty()) return "the domain has an empty part (two dots in a row, or a dot at an end)";
  if (label.size() > kMaxLabelBytes) return "a part of the domain is longer than 63 bytes";
  if (label.front() == '-' || label.back() == '-')
    return "a part of the domain starts or ends with a hyphen";
  for (char c : label) {
    if (is_ascii_alnum(c) || c == '-' || static_cast<unsigned char>(c) >= 0x80) continue;
    return std::string("the domain has the character '") + c + "'";
  }
  return std::nullopt;
}

std::optional<std::string> domain_error(std::string_view domain) {
  if (domain.empty()) return "the domain after @ is empty";
  if (model::find_invalid_utf8(domain)) return "the domain is not valid UTF-8";
  // Mail servers take a domain with accents only in its ASCII (xn--) form,
  // which cxm does not make: refused here rather than at the first send.
  if (std::any_of(domain.begin(), domain.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    return "the domain has a non-ASCII letter; write it in its xn-- form (as the domain's "
           "owner can tell)";
  if (domain.find('.') == std::string_view::npos)
    return "the domain has no dot (an address ends like @example.org)";
  for (std::size_t start = 0;;) {
    const std::size_t dot = domain.find('.', start);
    if (auto error = label_error(domain.substr(start, dot - start))) return error;
    if (dot == std::string_view::npos) return std::nullopt;
    start = dot + 1;
  }
}

}  // namespace

std::optional<std::string> address_error(std::string_view address) {
  if (address.empty()) return "the address is empty";
  for (char c : address) {
    if (auto name = forbidden_character(c); !name.empty()) return "the address contains " + name;
  }
  if (address.size() > kMaxAddressBytes) return "the address is longer than 254 bytes";
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return "the address has no @";
  if (address.substr(0, at).find('@') != std::string_view::npos)
    return "the address has more than one @";
  if (auto error = local_part_error(address.substr(0, at))) return error;
  return domain_error(address.substr(at + 1));
}

}  // namespace cxm::mail
