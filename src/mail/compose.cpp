#include "mail/compose.h"

#include <chrono>
#include <cstdio>
#include <string_view>
#include <vector>

#include "mail/letter_text.h"
#include "report/html_text.h"

namespace cxm::mail {
namespace {

using report::html_escape;

// One piece of a message, rendered both as plain text and as HTML, so the
// two parts always say the same.
struct Block {
  enum Type { paragraph, heading, bullets, button } type = paragraph;
  std::vector<std::string> lines;  // bullets: one per item; otherwise one
};

// Characters, not bytes: UTF-8 continuation bytes do not count.
std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// `text` wrapped at `width` characters between words; every line after the
// first starts with `indent`. A word longer than a line (a link) stays whole.
std::string wrap(std::string_view text, std::size_t width, std::string_view first_prefix,
                 std::string_view indent) {
  std::string out(first_prefix);
  std::size_t column = display_width(first_prefix);
  bool line_empty = true;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    const std::size_t w = display_width(word);
    if (!line_empty && column + 1 + w > width) {
      out += "\n";
      out += indent;
      column = display_width(indent);
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++column;
    }
    out += word;
    column += w;
    line_empty = false;
  }
  return out + "\n";
}

// Fills {name} placeholders of `pattern` from `values`.
std::string fill(std::string_view pattern,
                 std::initializer_list<std::pair<std::string_view, std::string>> values) {
  std::string out;
  std::size_t at = 0;
  while (at < pattern.size()) {
    const std::size_t open = pattern.find('{', at);
    if (open == std::string_view::npos) break;
    const std::size_t close = pattern.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(pattern.substr(at, open - at));
    const std::string_view name = pattern.substr(open + 1, close - open - 1);
    bool found = false;
    for (const auto& [key, value] : values) {
      if (key == name) {
        out += value;
        found = true;
        break;
      }
    }
    if (!found) out.append(pattern.substr(open, close - open + 1));
    at = close + 1;
  }
  out.append(pattern.substr(std::min(at, pattern.size())));
  return out;
}

// Everything a message says, in one language. {org}, {name}, {title},
// {day}, {time}, {n}, {consultant} are filled in.
struct Words {
  const char* lang;
  const char* open_quote;
  const char* close_quote;
  const char* hello;
  const char* hello_name;
  const char* neutral_title;  // the heading of a message without a title
  const char* neutral_subject;
  // How the invitation and the reminder name the assessment: its quoted
  // title ({title}), or neutral words when it has none.
  const char* invite_named;
  const char* invite_neutral;
  const char* remind_named;
  const char* remind_neutral;
  const char* invited_by_org;
  const char* invited;
  const char* minute;
  const char* minutes;
  const char* answer_by;
  const char* closes_at_time;
  const char* start_button;
  const char* answer_button;
  const char* personal_link;
  const char* not_anonymous_heading;
  const char* not_anonymous_sees;
  const char* not_anonymous_address;
  const char* anonymous_heading;
  const char* anonymous_groups;
  const char* anonymous_whether;
  const char* anonymous_address;
  const char* thanks_for_time;
  const char* reminder_for_org;
  const char* reminder;
  const char* reminder_anonymous;
  const char* reminder_not_anonymous;
  const char* thanks;
  const char* test_hello;
  const char* test_for_org;
  const char* test;
  const char* test_nothing_else;
  const char* run_by_for_org;
  const char* run_by;
  const char* why_you_receive;
  const char* subject_invitation_org;
  const char* subject_invitation;
  const char* subject_reminder;
  const char* subject_reminder_by;
  const char* subject_test_org;
  const char* subject_test;
  const char* with_personal_link;
  const char* button_fallback;
  const char* test_heading;
  const char* weekdays[7];
  const char* months[12];
  const char* day_pattern;  // {weekday} {day} {month} {year}
};

constexpr Words kEnglish{
    "en",
    "\u201c",
    "\u201d",
    "Hello,",
    "Hello {name},",
    "Customer-experience maturity assessment",
    "customer-experience maturity assessment",
    "{title}: a customer-experience maturity assessment",
    "the customer-experience maturity assessment: a customer-experience maturity assessment",
    "{title}",
    "the customer-experience maturity assessment",
    "{org} would like your view and has invited you to answer {title}. You rate short "
    "statements about how {org} works for its customers, from your own experience; there are "
    "no right or wrong answers.",
    "You are invited to answer {title}. You rate short statements about how the organization works "
    "for its customers, from your own "
    "experience; there are no right or wrong answers.",
    "It takes about 1 minute.",
    "It takes about {n} minutes.",
    "Please answer by {day}{time}.",
    " (it closes at {time} UTC)",
    "Start the assessment",
    "Answer the assessment",
    "This link is personal: it is meant for you alone, so please do not forward it.",
    "This assessment is not anonymous",
    "The facilitator sees your answers together with your name.",
    "Your e-mail address is used only to send you this link and reminders, and it is erased "
    "when the assessment closes.",
    "Your answers are anonymous",
    "The facilitator sees results only for groups of at least {n} people, never anyone\u2019s "
    "individual answers.",
    "The facilitator cannot see whether you in particular have answered.",
    "Your e-mail address is used only to send you this link and reminders. It is kept apart "
    "from your answers and erased when the assessment closes.",
    "Thank you for your time.",
    "A short reminder: {title} for {org} is still open, and your view counts.",
    "A short reminder: {title} is still open, and your view counts.",
    "Reminders go only to those who have not answered yet, and the facilitator does not learn "
    "who they are: your answers stay anonymous.",
    "This assessment is not anonymous: the facilitator sees your answers together with your "
    "name.",
    "Thank you.",
    "Hello,",
    "This is a test message from cxm for {org}. If you can read it, the mail settings work: "
    "invitations and reminders will reach people the same way.",
    "This is a test message from cxm. If you can read it, the mail settings work: invitations "
    "and reminders will reach people the same way.",
    "Nothing else needs doing.",
    "Run by {consultant} for {org}",
    "Run by {consultant}",
    "You receive this message because {org} invited you to this assessment.",
    "{org} invites you: {title}",
    "Your invitation: {title}",
    "Reminder: {title}",
    "Reminder: {title} \u2013 please answer by {day}",
    "cxm test message for {org}",
    "cxm test message",
    " with your personal link:",
    "If the button does not work, copy your personal link into your browser:",
    "Test message",
    {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
    "{weekday} {day} {month} {year}",
};

// Formal "Sie"; "Customer Experience" as German practitioners say it.
constexpr Words kGerman{
    "de",
    "\u201e",
    "\u201c",
    "Guten Tag,",
    "Guten Tag {name},",
    "Reifegrad-Einschätzung zur Customer Experience",
    "Reifegrad-Einschätzung zur Customer Experience",
    "zu {title}, einer Reifegrad-Einschätzung zur Customer Experience,",
    "zu einer Reifegrad-Einschätzung zur Customer Experience",
    "{title}",
    "Die Reifegrad-Einschätzung zur Customer Experience",
    "{org} bittet Sie um Ihre Sicht und lädt Sie {title} ein. Sie bewerten kurze Aussagen darüber, "
    "wie bei {org} für "
    "Kundinnen und Kunden gearbeitet wird, aus Ihrer eigenen Erfahrung; es gibt keine richtigen "
    "oder falschen Antworten.",
    "Sie sind {title} eingeladen. Sie bewerten kurze Aussagen darüber, wie in der Organisation für "
    "Kundinnen und Kunden "
    "gearbeitet wird, aus Ihrer eigenen Erfahrung; es gibt keine richtigen oder falschen "
    "Antworten.",
    "Das dauert etwa 1 Minute.",
    "Das dauert etwa {n} Minuten.",
    "Bitte antworten Sie bis {day}{time}.",
    " (Ende um {time} Uhr UTC)",
    "Einschätzung beginnen",
    "Zur Einschätzung",
    "Dieser Link ist persönlich und nur für Sie bestimmt; bitte leiten Sie ihn nicht weiter.",
    "Diese Einschätzung ist nicht anonym",
    "Die Moderation sieht Ihre Antworten zusammen mit Ihrem Namen.",
    "Ihre E-Mail-Adresse wird nur verwendet, um Ihnen diesen Link und Erinnerungen zu senden, "
    "und sie wird gelöscht, wenn die Einschätzung endet.",
    "Ihre Antworten sind anonym",
    "Die Moderation sieht Ergebnisse nur für Gruppen von mindestens {n} Personen, nie die "
    "Antworten einzelner Personen.",
    "Die Moderation kann nicht sehen, ob gerade Sie geantwortet haben.",
    "Ihre E-Mail-Adresse wird nur verwendet, um Ihnen diesen Link und Erinnerungen zu senden. "
    "Sie wird getrennt von Ihren Antworten gespeichert und gelöscht, wenn die Einschätzung endet.",
    "Vielen Dank für Ihre Zeit.",
    "Eine kurze Erinnerung: {title} für {org} läuft noch, und Ihre Sicht zählt.",
    "Eine kurze Erinnerung: {title} läuft noch, und Ihre Sicht zählt.",
    "Erinnerungen gehen nur an diejenigen, die noch nicht geantwortet haben, und die Moderation "
    "erfährt nicht, wer das ist: Ihre Antworten bleiben anonym.",
    "Diese Einschätzung ist nicht anonym: Die Moderation sieht Ihre Antworten zusammen mit Ihrem "
    "Namen.",
    "Vielen Dank.",
    "Guten Tag,",
    "Dies ist eine Testnachricht von cxm für {org}. Wenn Sie sie lesen können, funktionieren die "
    "E-Mail-Einstellungen: Einladungen und Erinnerungen erreichen ihre Empfängerinnen und "
    "Empfänger auf demselben Weg.",
    "Dies ist eine Testnachricht von cxm. Wenn Sie sie lesen können, funktionieren die "
    "E-Mail-Einstellungen: Einladungen und Erinnerungen erreichen ihre Empfängerinnen und "
    "Empfänger auf demselben Weg.",
    "Sonst ist nichts zu tun.",
    "Durchgeführt von {consultant} für {org}",
    "Durchgeführt von {consultant}",
    "Sie erhalten diese Nachricht, weil {org} Sie zu dieser Einschätzung eingeladen hat.",
    "{org} lädt Sie ein: {title}",
    "Ihre Einladung: {title}",
    "Erinnerung: {title}",
    "Erinnerung: {title} \u2013 bitte antworten Sie bis {day}",
    "cxm-Testnachricht für {org}",
    "cxm-Testnachricht",
    " mit Ihrem persönlichen Link:",
    "Falls die Schaltfläche nicht funktioniert, kopieren Sie Ihren persönlichen Link in Ihren "
    "Browser:",
    "Testnachricht",
    {"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
    {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
     "November", "Dezember"},
    "{weekday}, {day}. {month} {year}",
};

const Words& words_of(std::string_view lang) { return lang == "de" ? kGerman : kEnglish; }

std::string quoted(const Words& w, const std::string& text) {
  return w.open_quote + text + w.close_quote;
}

std::chrono::sys_days utc_day(std::int64_t ms) {
  using namespace std::chrono;
  return floor<days>(sys_time<milliseconds>(milliseconds(ms)));
}

// " (it closes at 17:00 UTC)" when the cycle closes during the day; empty
// when it closes at midnight, the end of the day closing_day names.
std::string closing_time(const Words& w, std::int64_t closes_at) {
  using namespace std::chrono;
  const auto since_midnight = milliseconds(closes_at) - utc_day(closes_at).time_since_epoch();
  if (since_midnight == milliseconds(0)) return {};
  const auto minutes = duration_cast<std::chrono::minutes>(since_midnight).count();
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return fill(w.closes_at_time, {{"time", buffer}});
}

std::string day_text(const Words& w, std::int64_t closes_at) {
  using namespace std::chrono;
  // A cycle closing at midnight takes its last answers the day before.
  const sys_days day = utc_day(closes_at - 1);
  const year_month_day ymd(day);
  const weekday wd(day);
  return fill(w.day_pattern, {{"weekday", w.weekdays[wd.c_encoding()]},
                              {"day", std::to_string(static_cast<unsigned>(ymd.day()))},
                              {"month", w.months[static_cast<unsigned>(ymd.month()) - 1]},
                              {"year", std::to_string(static_cast<int>(ymd.year()))}});
}

// "It takes about 15 minutes. Please answer by Friday 18 December 2026."
std::string time_and_date(const Words& w, const Letter& letter) {
  std::string text;
  if (letter.minutes > 0)
    text = letter.minutes == 1 ? std::string(w.minute)
                               : fill(w.minutes, {{"n", std::to_string(letter.minutes)}});
  if (letter.closes_at) {
    if (!text.empty()) text += ' ';
    text += fill(w.answer_by, {{"day", day_text(w, *letter.closes_at)},
                               {"time", closing_time(w, *letter.closes_at)}});
  }
  return text;
}

std::string greeting(const Words& w, const Letter& letter) {
  const std::string name = one_line(letter.recipient_name);
  return name.empty() ? std::string(w.hello) : fill(w.hello_name, {{"name", name}});
}

// What the facilitator can and cannot see, as the participant's page says it.
std::vector<Block> privacy_blocks(const Words& w, const Letter& letter) {
  if (!letter.anonymous) {
    return {{Block::heading, {w.not_anonymous_heading}},
            {Block::bullets, {w.not_anonymous_sees, w.not_anonymous_address}}};
  }
  return {{Block::heading, {w.anonymous_heading}},
          {Block::bullets,
           {fill(w.anonymous_groups, {{"n", std::to_string(letter.min_group_size)}}),
            w.anonymous_whether, w.anonymous_address}}};
}

std::string assessment_name(const Words& w, const Letter& letter) {
  const std::string title = one_line(letter.title);
  const bool invitation = letter.kind == Kind::invitation;
  if (title.empty()) return invitation ? w.invite_neutral : w.remind_neutral;
  return fill(invitation ? w.invite_named : w.remind_named, {{"title", quoted(w, title)}});
}

std::vector<Block> invitation_blocks(const Words& w, const Letter& letter) {
  const std::string org = one_line(letter.org_name);
  std::vector<Block> blocks{{Block::paragraph, {greeting(w, letter)}}};
  blocks.push_back({Block::paragraph,
                    {fill(org.empty() ? w.invited : w.invited_by_org,
                          {{"org", org}, {"title", assessment_name(w, letter)}})}});
  if (const std::string when = time_and_date(w, letter); !when.empty())
    blocks.push_back({Block::paragraph, {when}});
  blocks.push_back({Block::button, {w.start_button}});
  blocks.push_back({Block::paragraph, {w.personal_link}});
  for (auto& block : privacy_blocks(w, letter)) blocks.push_back(std::move(block));
  blocks.push_back({Block::paragraph, {w.thanks_for_time}});
  return blocks;
}

std::vector<Block> reminder_blocks(const Words& w, const Letter& letter) {
  const std::string org = one_line(letter.org_name);
  std::vector<Block> blocks{{Block::paragraph, {greeting(w, letter)}}};
  blocks.push_back({Block::paragraph,
                    {fill(org.empty() ? w.reminder : w.reminder_for_org,
                          {{"org", org}, {"title", assessment_name(w, letter)}})}});
  if (const std::string when = time_and_date(w, letter); !when.empty())
    blocks.push_back({Block::paragraph, {when}});
  blocks.push_back({Block::button, {w.answer_button}});
  blocks.push_back(
      {Block::paragraph, {letter.anonymous ? w.reminder_anonymous : w.reminder_not_anonymous}});
  blocks.push_back({Block::paragraph, {w.thanks}});
  return blocks;
}

std::vector<Block> test_blocks(const Words& w, const Letter& letter) {
  const std::string org = one_line(letter.org_name);
  return {{Block::paragraph, {w.test_hello}},
          {Block::paragraph, {fill(org.empty() ? w.test : w.test_for_org, {{"org", org}})}},
          {Block::paragraph, {w.test_nothing_else}}};
}

std::vector<std::string> footer_lines(const Words& w, const Letter& letter) {
  std::vector<std::string> lines;
  const std::string org = one_line(letter.org_name);
  const std::string consultant = one_line(letter.consultant);
  const std::string confidentiality = one_line(letter.confidentiality);
  if (!consultant.empty())
    lines.push_back(fill(org.empty() ? w.run_by : w.run_by_for_org,
                         {{"consultant", consultant}, {"org", org}}));
  if (!confidentiality.empty()) lines.push_back(confidentiality);
  if (letter.kind != Kind::test && !org.empty())
    lines.push_back(fill(w.why_you_receive, {{"org", org}}));
  return lines;
}

std::string subject_of(const Words& w, const Letter& letter) {
  const std::string org = one_line(letter.org_name);
  const std::string title = one_line(letter.title);
  const std::string name = title.empty() ? std::string(w.neutral_subject) : title;
  switch (letter.kind) {
    case Kind::invitation:
      return fill(org.empty() ? w.subject_invitation : w.subject_invitation_org,
                  {{"org", org}, {"title", name}});
    case Kind::reminder:
      return letter.closes_at ? fill(w.subject_reminder_by,
                                     {{"title", name}, {"day", day_text(w, *letter.closes_at)}})
                              : fill(w.subject_reminder, {{"title", name}});
    case Kind::test:
      return fill(org.empty() ? w.subject_test : w.subject_test_org, {{"org", org}});
  }
  return {};
}

constexpr std::size_t kTextWidth = 72;

std::string render_text(const Words& w, const std::vector<Block>& blocks, const Letter& letter) {
  const std::string link = one_line(letter.link);
  std::string out;
  for (const Block& block : blocks) {
    switch (block.type) {
      case Block::paragraph:
        out += wrap(block.lines[0], kTextWidth, "", "") + "\n";
        break;
      case Block::heading:
        out += block.lines[0] + "\n" + std::string(display_width(block.lines[0]), '-') + "\n";
        break;
      case Block::bullets:
        for (const auto& item : block.lines) out += wrap(item, kTextWidth, "- ", "  ");
        out += "\n";
        break;
      case Block::button:
        out += block.lines[0] + w.with_personal_link + "\n" + link + "\n\n";
        break;
    }
  }
  const auto footer = footer_lines(w, letter);
  if (!footer.empty()) {
    out += "-- \n";
    for (const auto& line : footer) out += wrap(line, kTextWidth, "", "");
  }
  return out;
}

// Colours chosen for contrast of at least 7:1 (text) and 4.5:1 (button)
// against their background.
constexpr std::string_view kFont = "font-family:Arial,Helvetica,sans-serif;";
constexpr std::string_view kText = "color:#1f2933;font-size:16px;line-height:24px;";
constexpr std::string_view kMuted = "color:#4b5563;font-size:13px;line-height:20px;";

std::string html_block(const Words& w, const Block& block, const std::string& link) {
  std::string out;
  const std::string p_style = std::string("margin:0 0 16px;") + std::string(kFont);
  switch (block.type) {
    case Block::paragraph:
      return "<p style=\"" + p_style + std::string(kText) + "\">" + html_escape(block.lines[0]) +
             "</p>\n";
    case Block::heading:
      return "<h2 style=\"margin:24px 0 8px;" + std::string(kFont) +
             "color:#111827;font-size:17px;line-height:24px;\">" + html_escape(block.lines[0]) +
             "</h2>\n";
    case Block::bullets:
      out = "<ul style=\"margin:0 0 16px;padding:0 0 0 22px;" + std::string(kFont) +
            std::string(kText) + "\">\n";
      for (const auto& item : block.lines)
        out += "<li style=\"margin:0 0 6px;\">" + html_escape(item) + "</li>\n";
      return out + "</ul>\n";
    case Block::button: {
      const std::string href = html_escape(link);
      return "<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" "
             "style=\"margin:8px 0 16px;\"><tr><td style=\"background-color:#1d4ed8;"
             "border-radius:6px;\"><a href=\"" +
             href + "\" style=\"display:inline-block;padding:14px 28px;" + std::string(kFont) +
             "font-size:17px;font-weight:bold;color:#ffffff;text-decoration:none;"
             "border-radius:6px;\">" +
             html_escape(block.lines[0]) + "</a></td></tr></table>\n<p style=\"" + p_style +
             std::string(kMuted) + "\">" + html_escape(w.button_fallback) +
             "<br>"
             "<span style=\"color:#1d4ed8;word-break:break-all;\">" +
             href + "</span></p>\n";
    }
  }
  return out;
}

std::string render_html(const Words& w, const std::vector<Block>& blocks, const Letter& letter,
                        const std::string& subject) {
  const std::string org = one_line(letter.org_name);
  const std::string title = one_line(letter.title);
  const std::string link = one_line(letter.link);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"" + std::string(w.lang) +
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      html_escape(subject) +
      "</title>\n</head>\n<body style=\"margin:0;padding:0;background-color:#f3f4f6;\">\n"
      "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
      "border=\"0\" style=\"background-color:#f3f4f6;\"><tr><td align=\"center\" "
      "style=\"padding:24px 12px;\">\n"
      "<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" "
      "border=\"0\" style=\"width:100%;max-width:600px;background-color:#ffffff;"
      "border:1px solid #d1d5db;border-radius:8px;\">\n";
  if (has_logo(letter)) {
    out += "<tr><td style=\"padding:28px 32px 0;\"><img src=\"cid:" + std::string(kLogoContentId) +
           "\" alt=\"" + html_escape(org.empty() ? std::string("Logo") : org) +
           "\" height=\"48\" style=\"display:block;height:48px;width:auto;max-width:240px;"
           "border:0;\"></td></tr>\n";
  }
  out += "<tr><td style=\"padding:28px 32px 12px;\">\n";
  if (letter.kind != Kind::test && !org.empty())
    out += "<p style=\"margin:0 0 4px;" + std::string(kFont) + std::string(kMuted) + "\">" +
           html_escape(org) + "</p>\n";
  const std::string heading = letter.kind == Kind::test
                                  ? std::string(w.test_heading)
                                  : (title.empty() ? std::string(w.neutral_title) : title);
  out += "<h1 style=\"margin:0 0 20px;" + std::string(kFont) +
         "color:#111827;font-size:24px;line-height:32px;\">" + html_escape(heading) + "</h1>\n";
  for (const Block& block : blocks) out += html_block(w, block, link);
  out += "</td></tr>\n";
  const auto footer = footer_lines(w, letter);
  if (!footer.empty()) {
    out += "<tr><td style=\"padding:16px 32px 24px;border-top:1px solid #e5e7eb;\">\n";
    for (const auto& line : footer)
      out += "<p style=\"margin:0 0 4px;" + std::string(kFont) + std::string(kMuted) + "\">" +
             html_escape(line) + "</p>\n";
    out += "</td></tr>\n";
  }
  out += "</table>\n</td></tr></table>\n</body>\n</html>\n";
  return out;
}

}  // namespace

std::string closing_day(std::int64_t closes_at, std::string_view lang) {
  return day_text(words_of(lang), closes_at);
}

Composed compose(const Letter& letter) {
  const Words& w = words_of(letter.lang);
  std::vector<Block> blocks;
  switch (letter.kind) {
    case Kind::invitation:
      blocks = invitation_blocks(w, letter);
      break;
    case Kind::reminder:
      blocks = reminder_blocks(w, letter);
      break;
    case Kind::test:
      blocks = test_blocks(w, letter);
      break;
  }
  Composed composed;
  composed.subject = subject_of(w, letter);
  composed.text = render_text(w, blocks, letter);
  composed.html = render_html(w, blocks, letter, composed.subject);
  return composed;
}

}  // namespace cxm::mail
