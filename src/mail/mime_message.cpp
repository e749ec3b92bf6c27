// mime_message (compose.h): the RFC 5322 + MIME form of a composed letter.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string_view>
#include <vector>

#include "mail/compose.h"
#include "mail/letter_text.h"
#include "report/branding.h"

namespace cxm::mail {
namespace {

constexpr std::size_t kMaxLine = 76;  // body lines (RFC 2045)
// Bytes of text per encoded word: 42 bytes are 56 base64 characters, the
// word 68, which leaves room for "Subject: " within 78.
constexpr std::size_t kEncodedWordBytes = 42;

bool is_ascii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// RFC 2047 B-encoded words, each holding whole UTF-8 characters, folded
// onto continuation lines.
std::string encoded_words(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.size(), start + kEncodedWordBytes);
    while (end < text.size() && end > start + 1 &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + report::to_base64(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

// A header's unstructured text (Subject): as it is when it is short ASCII,
// otherwise as encoded words.
std::string unstructured(std::string_view name, const std::string& value) {
  if (is_ascii(value) && name.size() + 2 + value.size() <= 78 &&
      value.find("=?") == std::string::npos)
    return value;
  return encoded_words(value);
}

bool is_phrase_atext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// "Name <address>", the name as atoms, a quoted string or encoded words.
std::string mailbox(const std::string& name_text, const std::string& address) {
  const std::string name = one_line(name_text);
  const std::string addr = "<" + one_line(address) + ">";
  if (name.empty()) return addr;
  if (!is_ascii(name) || name.find("=?") != std::string::npos || name.size() > 60)
    return encoded_words(name) + " " + addr;
  bool plain = true;
  for (char c : name) plain = plain && is_phrase_atext(c);
  if (plain) return name + " " + addr;
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\" " + addr;
}

std::string domain_of(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? std::string("cxm.invalid") : address.substr(at + 1);
}

// Letters, digits, '.', '-' and '_' of `text`: safe in a Message-ID and a
// boundary.
std::string id_characters(std::string_view text, std::size_t limit) {
  std::string out;
  for (char c : text) {
    if (out.size() == limit) break;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '_')
      out += c;
  }
  return out;
}

// "Mon, 07 Dec 2026 06:22:28 +0000"
std::string rfc5322_date(std::int64_t now_ms) {
  using namespace std::chrono;
  static const char* const day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const sys_time<milliseconds> t{milliseconds(now_ms)};
  const sys_days day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss<seconds> time(floor<seconds>(t) - day);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%s, %02u %s %04d %02d:%02d:%02d +0000",
                day_names[weekday(day).c_encoding()], static_cast<unsigned>(ymd.day()),
                month_names[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return buffer;
}

// Quoted-printable (RFC 2045) of UTF-8 text with \n line ends: CRLF line
// ends, lines of at most 76 characters, '=' and every byte outside
// printable ASCII encoded, and a dot that starts a line too (some relays
// strip it).
std::string quoted_printable(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      const bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
      auto piece = [&] {
        if (literal && !(column == 0 && c == '.')) return std::string(1, static_cast<char>(c));
        char hex[4];
        std::snprintf(hex, sizeof hex, "=%02X", c);
        return std::string(hex);
      };
      std::string p = piece();
      if (column + p.size() > kMaxLine - 1) {
        out += "=\r\n";
        column = 0;
        p = piece();
      }
      out += p;
      column += p.size();
    }
    out += "\r\n";
    start = end + 1;
  }
  return out;
}

std::string base64_lines(std::string_view bytes) {
  const std::string encoded = report::to_base64(bytes);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); i += kMaxLine)
    out += encoded.substr(i, kMaxLine) + "\r\n";
  return out;
}

std::string text_part(std::string_view type, std::string_view body) {
  return "Content-Type: " + std::string(type) +
         "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
         quoted_printable(body);
}

std::string logo_part(const Letter& letter) {
  const std::string extension = letter.logo_type == "image/png" ? "png" : "jpg";
  return "Content-Type: " + letter.logo_type + "\r\nContent-Transfer-Encoding: base64\r\n" +
         "Content-ID: <" + kLogoContentId + ">\r\nContent-Disposition: inline; filename=\"logo." +
         extension + "\"\r\n\r\n" + base64_lines(letter.logo_bytes);
}

// A multipart body; the boundary starts with "=_", which quoted-printable
// and base64 never produce. The line break before a boundary belongs to
// the boundary (RFC 2046), so each part gets one more: its last line
// break stays its own.
std::string multipart(const std::string& boundary, const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += "--" + boundary + "\r\n" + part + "\r\n";
  return out + "--" + boundary + "--\r\n";
}

}  // namespace

std::string mime_message(const Composed& composed, const Letter& letter, const std::string& from,
                         const std::string& to, std::int64_t now_ms,
                         const std::string& message_id) {
  const std::string id = id_characters(message_id, 64);
  const std::string domain = id_characters(domain_of(one_line(from)), 253);
  const std::string alternative = "=_alt_" + id.substr(0, 40);
  std::string body_type = "multipart/alternative;\r\n boundary=\"" + alternative + "\"";
  std::string html = text_part("text/html", composed.html);
  if (has_logo(letter)) {
    const std::string related = "=_rel_" + id.substr(0, 40);
    html = "Content-Type: multipart/related;\r\n boundary=\"" + related +
           "\"; type=\"text/html\"\r\n\r\n" + multipart(related, {html, logo_part(letter)});
  }
  const std::string subject = one_line(composed.subject);
  std::string out;
  out += "From: " + mailbox(letter.kind == Kind::test ? "cxm" : letter.org_name, from) + "\r\n";
  out += "To: " + mailbox(letter.recipient_name, to) + "\r\n";
  out += "Subject: " + unstructured("Subject", subject) + "\r\n";
  out += "Date: " + rfc5322_date(now_ms) + "\r\n";
  out += "Message-ID: <" + id + "@" + domain + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "Content-Type: " + body_type + "\r\n\r\n";
  out += multipart(alternative, {text_part("text/plain", composed.text), html});
  return out;
}

}  // namespace cxm::mail
