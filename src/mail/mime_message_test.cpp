#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../../tests/run_process.h"
#include "../../tests/smtp_sink.h"
#include "mail/compose.h"

namespace cxm::mail {
namespace {

using nlohmann::json;

constexpr std::int64_t kNow = 1796624548000;  // Mon 2026-12-07 06:22:28 UTC
const std::string kLink = "https://cx.example.org/r/0123456789abcdef0123456789abcdef";

Letter invitation() {
  Letter letter;
  letter.recipient_name = "Anna Berg";
  letter.org_name = "Helios AG";
  letter.title = "Customer experience 2027";
  letter.link = kLink;
  letter.closes_at = 1797638400000;
  letter.minutes = 15;
  letter.min_group_size = 5;
  return letter;
}

// The message as Python's email package reads it.
json parsed(const std::string& message) {
  testing::TempDir dir;
  const std::string text = testing::parse_mail_json(dir.write("message.eml", message));
  return json::parse(text);
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST(MimeMessageTest, HeadersAndBothPartsReadBackAsComposed) {
  const Letter letter = invitation();
  const Composed composed = compose(letter);
  const std::string message =
      mime_message(composed, letter, "cx@helios.example", "anna@example.org", kNow, "4f2a9c");
  const json mail = parsed(message);
  const json& h = mail["headers"];
  EXPECT_EQ(h["From"], "Helios AG <cx@helios.example>");
  EXPECT_EQ(h["To"], "Anna Berg <anna@example.org>");
  EXPECT_EQ(h["Subject"], composed.subject);
  EXPECT_EQ(h["Date"], "Mon, 07 Dec 2026 06:22:28 +0000");
  EXPECT_EQ(h["Message-ID"], "<4f2a9c@helios.example>");
  EXPECT_EQ(h["MIME-Version"], "1.0");
  EXPECT_EQ(h["Auto-Submitted"], "auto-generated");
  EXPECT_TRUE(mail["defects"].empty()) << mail["defects"];
  EXPECT_LE(mail["longest_line"].get<int>(), 78);
  EXPECT_FALSE(mail["bare_line_feed"].get<bool>());

  const json& parts = mail["parts"];
  ASSERT_EQ(parts.size(), 3u) << parts;
  EXPECT_EQ(parts[0]["type"], "multipart/alternative");
  EXPECT_EQ(parts[0]["children"], json({"text/plain", "text/html"}));
  EXPECT_EQ(parts[1]["content"], composed.text);
  EXPECT_EQ(parts[1]["charset"], "utf-8");
  EXPECT_EQ(parts[2]["content"], composed.html);
  const std::string text = parts[1]["content"], html = parts[2]["content"];
  EXPECT_EQ(count(text, kLink), 1u);
  EXPECT_EQ(count(html, "href=\"" + kLink + "\""), 1u);
  for (const auto& part : parts) EXPECT_TRUE(part["defects"].empty()) << part;
}

TEST(MimeMessageTest, NonAsciiNamesAndSubjectRoundTrip) {
  Letter letter = invitation();
  letter.recipient_name = "Zoë Ångström-Müller";
  letter.org_name = "Société Générale & Fils";
  letter.title = "Expérience client 2027 — « où en sommes-nous ? » avec des accents partout";
  const Composed composed = compose(letter);
  const std::string message =
      mime_message(composed, letter, "cx@example.fr", "zoe@example.org", kNow, "id1");
  const json mail = parsed(message);
  EXPECT_EQ(mail["headers"]["Subject"], composed.subject);
  EXPECT_EQ(mail["to"], json::array({{"Zoë Ångström-Müller", "zoe@example.org"}}));
  EXPECT_EQ(mail["from"], json::array({{"Société Générale & Fils", "cx@example.fr"}}));
  EXPECT_LE(mail["longest_line"].get<int>(), 78);
  EXPECT_TRUE(mail["defects"].empty()) << mail["defects"];
  EXPECT_EQ(mail["parts"][1]["content"], composed.text);
  EXPECT_EQ(mail["parts"][2]["content"], composed.html);
  // Nothing but ASCII leaves in the message itself.
  for (char c : message) ASSERT_LT(static_cast<unsigned char>(c), 0x80);
}

TEST(MimeMessageTest, AsciiNamesWithSpecialsAreQuoted) {
  Letter letter = invitation();
  letter.recipient_name = "Berg, Anna \"AB\" (CX)";
  const std::string message =
      mime_message(compose(letter), letter, "cx@helios.example", "anna@example.org", kNow, "id2");
  const json mail = parsed(message);
  EXPECT_EQ(mail["to"], json::array({{"Berg, Anna \"AB\" (CX)", "anna@example.org"}}));
}

TEST(MimeMessageTest, NoValueCanAddAHeader) {
  Letter letter = invitation();
  letter.recipient_name = "Anna\r\nBcc: evil@example.org";
  letter.org_name = "Helios\r\nX-Injected: org";
  letter.title = "Title\nX-Injected: title";
  const std::string message =
      mime_message(compose(letter), letter, "cx@helios.example\r\nX-Injected: from",
                   "anna@example.org\r\nBcc: evil2@example.org", kNow, "id\r\nX-Injected: id");
  const json mail = parsed(message);
  for (const auto& [name, n] : mail["header_count"].items()) {
    EXPECT_EQ(n, 1) << name;
    EXPECT_NE(name, "Bcc");
    EXPECT_NE(name, "X-Injected");
  }
  const std::string head = message.substr(0, message.find("\r\n\r\n"));
  EXPECT_EQ(head.find("\r\nBcc"), std::string::npos);
  EXPECT_EQ(head.find("\r\nX-Injected"), std::string::npos);
  EXPECT_EQ(head.find("\n\n"), std::string::npos);
}

TEST(MimeMessageTest, LogoIsARelatedInlineImage) {
  Letter letter = invitation();
  letter.logo_bytes = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(300, '\xab');
  letter.logo_type = "image/png";
  const Composed composed = compose(letter);
  const json mail =
      parsed(mime_message(composed, letter, "cx@helios.example", "anna@example.org", kNow, "id3"));
  const json& parts = mail["parts"];
  ASSERT_EQ(parts.size(), 5u) << parts;
  EXPECT_EQ(parts[0]["children"], json({"text/plain", "multipart/related"}));
  EXPECT_EQ(parts[2]["children"], json({"text/html", "image/png"}));
  EXPECT_EQ(parts[3]["content"], composed.html);
  EXPECT_EQ(parts[4]["content_id"], "<logo@cxm>");
  EXPECT_EQ(parts[4]["disposition"], "inline");
  std::string hex;
  for (unsigned char c : letter.logo_bytes) {
    static const char* digits = "0123456789abcdef";
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  EXPECT_EQ(parts[4]["hex"], hex);
  EXPECT_LE(mail["longest_line"].get<int>(), 78);
  EXPECT_NE(composed.html.find("src=\"cid:logo@cxm\""), std::string::npos);
}

TEST(MimeMessageTest, QuotedPrintableKeepsLongLinesAndLeadingDots) {
  Composed composed;
  composed.subject = "x";
  composed.text = ".starts with a dot\n" + std::string(200, 'x') + " \n" + "=equals= \xc3\xa9\n";
  composed.html = "<p>" + std::string(300, 'y') + "</p>\n";
  Letter letter;
  letter.kind = Kind::test;
  const std::string message =
      mime_message(composed, letter, "cx@helios.example", "anna@example.org", kNow, "id4");
  EXPECT_EQ(message.find("\r\n."), std::string::npos);
  const json mail = parsed(message);
  EXPECT_EQ(mail["parts"][1]["content"], composed.text);
  EXPECT_EQ(mail["parts"][2]["content"], composed.html);
  EXPECT_LE(mail["longest_line"].get<int>(), 78);
}

}  // namespace
}  // namespace cxm::mail
