#include "mail/compose.h"

#include <gtest/gtest.h>

namespace cxm::mail {
namespace {

constexpr std::int64_t kFriday18DecemberEnd = 1797638400000;  // 2026-12-19T00:00:00Z
constexpr std::int64_t kFriday18December17h = 1797613200000;  // 2026-12-18T17:00:00Z
const std::string kLink = "https://cx.example.org/r/0123456789abcdef0123456789abcdef";

Letter invitation() {
  Letter letter;
  letter.kind = Kind::invitation;
  letter.recipient_name = "Anna Berg";
  letter.org_name = "Helios AG";
  letter.title = "Customer experience 2027";
  letter.link = kLink;
  letter.closes_at = kFriday18DecemberEnd;
  letter.minutes = 15;
  letter.anonymous = true;
  letter.min_group_size = 5;
  return letter;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// The plain text with its lines joined, so that a phrase can be found
// across a wrapped line.
std::string unwrapped(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') {
      out += text[i];
      continue;
    }
    out += ' ';
    while (i + 1 < text.size() && text[i + 1] == ' ') ++i;
  }
  return out;
}

TEST(ComposeTest, InvitationSaysWhatItIsWhenItClosesAndWhatTheFacilitatorSees) {
  const Composed mail = compose(invitation());
  EXPECT_EQ(mail.subject, "Helios AG invites you: Customer experience 2027");
  for (const std::string& text : {unwrapped(mail.text), mail.html}) {
    SCOPED_TRACE(text);
    EXPECT_NE(text.find("Hello Anna Berg,"), std::string::npos);
    EXPECT_NE(text.find("Helios AG would like your view"), std::string::npos);
    EXPECT_NE(text.find("Customer experience 2027"), std::string::npos);
    EXPECT_NE(text.find("customer-experience maturity assessment"), std::string::npos);
    EXPECT_NE(text.find("It takes about 15 minutes. Please answer by Friday 18 December 2026."),
              std::string::npos);
    EXPECT_NE(text.find("please do not forward it"), std::string::npos);
    EXPECT_NE(text.find("groups of at least 5 people"), std::string::npos);
    EXPECT_NE(text.find("whether you in particular have answered"), std::string::npos);
    EXPECT_NE(text.find("erased when the assessment closes"), std::string::npos);
    EXPECT_NE(text.find("kept apart from your answers"), std::string::npos);
  }
  EXPECT_EQ(count(mail.text, kLink), 1u);
  EXPECT_EQ(count(mail.html, "href=\"" + kLink + "\""), 1u);
  EXPECT_EQ(count(mail.html, kLink), 2u);  // the button, and the address to copy
  EXPECT_NE(mail.html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(mail.html.find("max-width:600px"), std::string::npos);
  EXPECT_EQ(mail.html.find("<img"), std::string::npos);  // no logo given
}

TEST(ComposeTest, PlainTextLinesStayShortButTheLinkStaysWhole) {
  Letter letter = invitation();
  letter.link =
      "https://cx.example.org/a/very/long/prefix/that/goes/on/and/on/r/" + std::string(32, 'a');
  const Composed mail = compose(letter);
  std::size_t start = 0;
  while (start < mail.text.size()) {
    const auto end = mail.text.find('\n', start);
    const std::string line = mail.text.substr(start, end - start);
    if (line != letter.link) {
      EXPECT_LE(line.size(), 80u) << line;
    }
    start = end + 1;
  }
  EXPECT_EQ(count(mail.text, letter.link), 1u);
}

TEST(ComposeTest, NamedInvitationSaysTheFacilitatorSeesNames) {
  Letter letter = invitation();
  letter.anonymous = false;
  const Composed mail = compose(letter);
  EXPECT_NE(mail.text.find("not anonymous"), std::string::npos);
  EXPECT_NE(unwrapped(mail.text).find("sees your answers together with your name"),
            std::string::npos);
  EXPECT_EQ(mail.text.find("whether you in particular"), std::string::npos);
  EXPECT_EQ(mail.text.find("at least 5"), std::string::npos);
}

TEST(ComposeTest, ReminderIsShortWithTheDateAndTheSameLink) {
  Letter letter = invitation();
  letter.kind = Kind::reminder;
  letter.reminder_number = 2;
  const Composed mail = compose(letter);
  EXPECT_EQ(mail.subject,
            "Reminder: Customer experience 2027 \u2013 please answer by Friday 18 December 2026");
  const std::string text = unwrapped(mail.text);
  EXPECT_NE(text.find("A short reminder"), std::string::npos);
  EXPECT_NE(text.find("Please answer by Friday 18 December 2026."), std::string::npos);
  EXPECT_NE(text.find("facilitator does not learn who they are"), std::string::npos);
  EXPECT_EQ(text.find("already answered"), std::string::npos);
  EXPECT_EQ(count(mail.text, kLink), 1u);
  EXPECT_EQ(count(mail.html, "href=\"" + kLink + "\""), 1u);
  EXPECT_LT(mail.text.size(), compose(invitation()).text.size());
}

TEST(ComposeTest, TestMessageHasNoLink) {
  Letter letter;
  letter.kind = Kind::test;
  letter.org_name = "Helios AG";
  const Composed mail = compose(letter);
  EXPECT_EQ(mail.subject, "cxm test message for Helios AG");
  EXPECT_NE(unwrapped(mail.text).find("the mail settings work"), std::string::npos);
  EXPECT_EQ(mail.html.find("href="), std::string::npos);
}

TEST(ComposeTest, WithoutNameTitleDateOrTimeItStillReads) {
  Letter letter = invitation();
  letter.recipient_name = "";
  letter.title = "";
  letter.closes_at.reset();
  letter.minutes = 0;
  const Composed mail = compose(letter);
  EXPECT_EQ(mail.text.substr(0, 7), "Hello,\n");
  EXPECT_EQ(mail.subject, "Helios AG invites you: customer-experience maturity assessment");
  EXPECT_EQ(mail.text.find("Please answer by"), std::string::npos);
  EXPECT_EQ(mail.text.find("It takes"), std::string::npos);
}

TEST(ComposeTest, ClosingDayIsTheLastDayThatTakesAnswers) {
  EXPECT_EQ(closing_day(kFriday18DecemberEnd), "Friday 18 December 2026");
  EXPECT_EQ(closing_day(kFriday18December17h), "Friday 18 December 2026");
  EXPECT_EQ(closing_day(0), "Wednesday 31 December 1969");
  Letter letter = invitation();
  letter.closes_at = kFriday18December17h;
  EXPECT_NE(unwrapped(compose(letter).text)
                .find("Please answer by Friday 18 December 2026 (it closes at 17:00 UTC)."),
            std::string::npos);
}

TEST(ComposeTest, EveryInterpolatedTextIsEscapedInHtml) {
  Letter letter = invitation();
  letter.recipient_name = "<script>alert(1)</script>";
  letter.org_name = "Tom & Jerry <b>Ltd</b>";
  letter.title = "\"><img src=x onerror=alert(2)>";
  letter.consultant = "<script>c</script>";
  letter.confidentiality = "<i>secret</i>";
  letter.link = "https://cx.example.org/r/x\"onmouseover=\"alert(3)";
  letter.logo_bytes = "\x89PNG";
  letter.logo_type = "image/png";
  const Composed mail = compose(letter);
  EXPECT_EQ(mail.html.find("<script"), std::string::npos);
  EXPECT_EQ(mail.html.find("<b>"), std::string::npos);
  EXPECT_EQ(mail.html.find("<i>"), std::string::npos);
  EXPECT_EQ(mail.html.find("<img src=x"), std::string::npos);
  EXPECT_EQ(mail.html.find("\"onmouseover"), std::string::npos);
  EXPECT_NE(mail.html.find("Hello &lt;script&gt;alert(1)&lt;/script&gt;,"), std::string::npos);
  EXPECT_NE(mail.html.find("Tom &amp; Jerry &lt;b&gt;Ltd&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(mail.html.find("alt=\"Tom &amp; Jerry &lt;b&gt;Ltd&lt;/b&gt;\""), std::string::npos);
  // The plain text carries them as they are: a mail client shows it as text.
  EXPECT_NE(mail.text.find("Hello <script>alert(1)</script>,"), std::string::npos);
}

TEST(ComposeTest, LineBreaksInAnyTextAddNoLine) {
  Letter letter = invitation();
  letter.recipient_name = "Anna\r\nBcc: evil@example.org";
  letter.org_name = "Helios\nAG";
  letter.title = "Title\r\nX-Injected: 1";
  const Composed mail = compose(letter);
  EXPECT_EQ(mail.subject, "Helios AG invites you: Title X-Injected: 1");
  EXPECT_EQ(mail.text.find('\r'), std::string::npos);
  const std::string text = unwrapped(mail.text);
  EXPECT_NE(text.find("Hello Anna Bcc: evil@example.org,"), std::string::npos) << text;
  EXPECT_NE(text.find("\u201cTitle X-Injected: 1\u201d"), std::string::npos) << text;
  EXPECT_NE(mail.html.find("<title>Helios AG invites you: Title X-Injected: 1</title>"),
            std::string::npos);
}

TEST(ComposeTest, BrandingInTheFooterAndTheLogoAsInlineImage) {
  Letter letter = invitation();
  letter.consultant = "Northwind Advisory";
  letter.confidentiality = "Confidential \u2014 prepared for Helios AG";
  letter.logo_bytes = "\x89PNG\r\n";
  letter.logo_type = "image/png";
  const Composed mail = compose(letter);
  EXPECT_NE(mail.text.find("-- \nRun by Northwind Advisory for Helios AG\n"
                           "Confidential \u2014 prepared for Helios AG\n"),
            std::string::npos);
  EXPECT_NE(mail.html.find("Run by Northwind Advisory for Helios AG"), std::string::npos);
  EXPECT_NE(mail.html.find("<img src=\"cid:logo@cxm\" alt=\"Helios AG\""), std::string::npos);
  letter.logo_type = "image/svg+xml";  // never sent
  EXPECT_EQ(compose(letter).html.find("<img"), std::string::npos);
}

// In the recipient's language (SPEC section 4.8): every sentence German,
// in formal "Sie", dates in German form; the link and the rules the same.
TEST(ComposeTest, GermanInvitationAndReminder) {
  Letter letter = invitation();
  letter.lang = "de";
  letter.consultant = "Beratung Nord";
  Composed mail = compose(letter);
  EXPECT_EQ(mail.subject, "Helios AG lädt Sie ein: Customer experience 2027");
  for (const std::string& text : {unwrapped(mail.text), mail.html}) {
    SCOPED_TRACE(text);
    EXPECT_NE(text.find("Guten Tag Anna Berg,"), std::string::npos);
    EXPECT_NE(text.find("Helios AG bittet Sie um Ihre Sicht"), std::string::npos);
    EXPECT_NE(text.find("Das dauert etwa 15 Minuten. Bitte antworten Sie bis Freitag, 18. "
                        "Dezember 2026."),
              std::string::npos);
    EXPECT_NE(text.find("Gruppen von mindestens 5 Personen"), std::string::npos);
    EXPECT_NE(text.find("Durchgeführt von Beratung Nord für Helios AG"), std::string::npos);
    EXPECT_NE(text.find(kLink), std::string::npos);
    for (const char* english : {"Hello", "Please", "minutes", "anonymous", "Thank you", "Run by",
                                "Friday", "December", "If the button"})
      EXPECT_EQ(text.find(english), std::string::npos) << english;
  }
  EXPECT_NE(unwrapped(mail.text).find("Einschätzung beginnen mit Ihrem persönlichen Link:"),
            std::string::npos);
  EXPECT_NE(mail.html.find("<html lang=\"de\">"), std::string::npos);
  EXPECT_NE(mail.html.find("\u201eCustomer experience 2027\u201c"), std::string::npos);

  letter.kind = Kind::reminder;
  letter.closes_at = kFriday18December17h;
  mail = compose(letter);
  EXPECT_EQ(mail.subject,
            "Erinnerung: Customer experience 2027 \u2013 bitte antworten Sie bis Freitag, 18. "
            "Dezember 2026");
  EXPECT_NE(unwrapped(mail.text).find("(Ende um 17:00 Uhr UTC)"), std::string::npos);
  EXPECT_NE(unwrapped(mail.text).find("Ihre Antworten bleiben anonym"), std::string::npos);
  EXPECT_EQ(closing_day(kFriday18DecemberEnd, "de"), "Freitag, 18. Dezember 2026");
  // Without a title the sentences name the assessment in neutral words.
  letter.title = "";
  EXPECT_NE(
      unwrapped(compose(letter).text)
          .find("Eine kurze Erinnerung: Die Reifegrad-Einschätzung zur Customer Experience für "
                "Helios AG läuft noch"),
      std::string::npos);
  letter.kind = Kind::invitation;
  EXPECT_NE(unwrapped(compose(letter).text)
                .find("lädt Sie zu einer Reifegrad-Einschätzung zur Customer Experience ein."),
            std::string::npos)
      << compose(letter).text;
  // Any other language reads English.
  letter.lang = "fr";
  EXPECT_EQ(compose(letter).subject,
            "Helios AG invites you: customer-experience maturity assessment");
}

}  // namespace
}  // namespace cxm::mail
