#include "mail/smtp_url.h"

#include <gtest/gtest.h>

namespace cxm::mail {
namespace {

SmtpUrl parsed(std::string_view url) {
  auto result = parse_smtp_url(url);
  if (auto* error = std::get_if<std::string>(&result)) ADD_FAILURE() << url << ": " << *error;
  return std::holds_alternative<SmtpUrl>(result) ? std::get<SmtpUrl>(result) : SmtpUrl{};
}

std::string error_of(std::string_view url) {
  auto result = parse_smtp_url(url);
  if (std::holds_alternative<SmtpUrl>(result)) {
    ADD_FAILURE() << url << " was accepted";
    return {};
  }
  return std::get<std::string>(result);
}

TEST(SmtpUrlTest, ReadsHostPortAndSecurity) {
  auto url = parsed("smtp://mail.example.org");
  EXPECT_EQ(url.host, "mail.example.org");
  EXPECT_EQ(url.port, 587);
  EXPECT_EQ(url.security, Security::starttls);

  url = parsed("smtp://mail.example.org?security=tls");
  EXPECT_EQ(url.port, 465);
  EXPECT_EQ(url.security, Security::tls);

  url = parsed("smtp://127.0.0.1:2525?security=none");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 2525);
  EXPECT_EQ(url.security, Security::none);

  url = parsed("smtp://[::1]:25/?security=starttls");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 25);
  EXPECT_EQ(url.security, Security::starttls);

  EXPECT_EQ(parsed("smtp://relay:465?security=starttls").port, 465);
}

TEST(SmtpUrlTest, NamesThePartThatIsWrong) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "smtp://"},
      {"https://mail.example.org", "smtp://"},
      {"smtps://mail.example.org", "smtp://"},
      {"smtp://", "no host"},
      {"smtp://:587", "no host"},
      {"smtp://mail.example.org:", "port"},
      {"smtp://mail.example.org:0", "port"},
      {"smtp://mail.example.org:65536", "port"},
      {"smtp://mail.example.org:25x", "port"},
      {"smtp://mail.example.org:-1", "port"},
      {"smtp://mail.example.org:99999999999999999999", "port"},
      {"smtp://user:secret@mail.example.org", "CXM_SMTP_PASSWORD"},
      {"smtp://mail.example.org/path", "path"},
      {"smtp://mail.example.org?security=ssl", "starttls, tls or none"},
      {"smtp://mail.example.org?tls=1", "security="},
      {"smtp://mail example.org", "host"},
      {"smtp://mail.example.org\r\n", "host"},
      {"smtp://[::1", "without ]"},
      {"smtp://[]:25", "empty"},
      {"smtp://[::1]x", "PORT"},
      {"smtp://[zz::1]:25", "IPv6"},
      {"smtp://[127.0.0.1]:25", "IPv6"},
      {"smtp://.example.org", "host"},
  };
  for (const auto& [url, words] : cases) {
    const std::string error = error_of(url);
    EXPECT_NE(error.find(words), std::string::npos) << url << ": " << error;
  }
}

TEST(SmtpUrlTest, DescribeNeverShowsThePassword) {
  SmtpSettings settings;
  settings.host = "mail.example.org";
  settings.user = "cxm";
  settings.password = "s3cret-Passw0rd";
  EXPECT_EQ(describe(settings), "smtp://mail.example.org:587 (STARTTLS), user cxm");
  settings.security = Security::tls;
  settings.port = 465;
  settings.user.clear();
  EXPECT_EQ(describe(settings), "smtp://mail.example.org:465 (TLS), no login");
  settings.host = "::1";
  settings.security = Security::none;
  EXPECT_EQ(describe(settings), "smtp://[::1]:465 (no encryption), no login");
  EXPECT_EQ(describe(settings).find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace cxm::mail
