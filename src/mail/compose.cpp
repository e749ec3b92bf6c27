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

std::string quoted(const std::string& text) { return "\u201c" + text + "\u201d"; }

const char* const kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};
const char* const kMonths[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};

std::chrono::sys_days utc_day(std::int64_t ms) {
  using namespace std::chrono;
  return floor<days>(sys_time<milliseconds>(milliseconds(ms)));
}

// " (it closes at 17:00 UTC)" when the cycle closes during the day; empty
// when it closes at midnight, the end of the day closing_day names.
std::string closing_time(std::int64_t closes_at) {
  using namespace std::chrono;
  const auto since_midnight = milliseconds(closes_at) - utc_day(closes_at).time_since_epoch();
  if (since_midnight == milliseconds(0)) return {};
  const auto minutes = duration_cast<std::chrono::minutes>(since_midnight).count();
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, " (it closes at %02d:%02d UTC)",
                static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return buffer;
}

// "It takes about 15 minutes. Please answer by Friday 18 December 2026."
std::string time_and_date(const Letter& letter) {
  std::string text;
  if (letter.minutes > 0)
    text = "It takes about " + std::to_string(letter.minutes) +
           (letter.minutes == 1 ? " minute." : " minutes.");
  if (letter.closes_at) {
    if (!text.empty()) text += ' ';
    text += "Please answer by " + closing_day(*letter.closes_at) + closing_time(*letter.closes_at) +
            ".";
  }
  return text;
}

std::string greeting(const Letter& letter) {
  const std::string name = one_line(letter.recipient_name);
  return name.empty() ? "Hello," : "Hello " + name + ",";
}

// What the facilitator can and cannot see, as the participant's page says it.
std::vector<Block> privacy_blocks(const Letter& letter) {
  const std::string address =
      "Your e-mail address is used only to send you this link and reminders. It is kept apart "
      "from your answers and erased when the assessment closes.";
  if (!letter.anonymous) {
    return {{Block::heading, {"This assessment is not anonymous"}},
            {Block::bullets,
             {"The facilitator sees your answers together with your name.",
              "Your e-mail address is used only to send you this link and reminders, and it is "
              "erased when the assessment closes."}}};
  }
  return {{Block::heading, {"Your answers are anonymous"}},
          {Block::bullets,
           {"The facilitator sees results only for groups of at least " +
                std::to_string(letter.min_group_size) +
                " people, never anyone\u2019s individual answers.",
            "The facilitator cannot see whether you in particular have answered.", address}}};
}

std::string assessment_name(const Letter& letter) {
  const std::string title = one_line(letter.title);
  return title.empty() ? "the customer-experience maturity assessment" : quoted(title);
}

std::vector<Block> invitation_blocks(const Letter& letter) {
  const std::string org = one_line(letter.org_name);
  std::vector<Block> blocks{{Block::paragraph, {greeting(letter)}}};
  blocks.push_back(
      {Block::paragraph,
       {(org.empty() ? std::string("You are") : org + " would like your view and has") +
        (org.empty() ? " invited to answer " : " invited you to answer ") +
        assessment_name(letter) +
        ": a customer-experience maturity assessment. You rate short statements about how " +
        (org.empty() ? std::string("the organization") : org) +
        " works for its customers, from your own experience; there are no right or wrong "
        "answers."}});
  if (const std::string when = time_and_date(letter); !when.empty())
    blocks.push_back({Block::paragraph, {when}});
  blocks.push_back({Block::button, {"Start the assessment"}});
  blocks.push_back({Block::paragraph,
                    {"This link is personal: it is meant for you alone, so please do not "
                     "forward it."}});
  for (auto& block : privacy_blocks(letter)) blocks.push_back(std::move(block));
  blocks.push_back({Block::paragraph, {"Thank you for your time."}});
  return blocks;
}

std::vector<Block> reminder_blocks(const Letter& letter) {
  const std::string org = one_line(letter.org_name);
  std::vector<Block> blocks{{Block::paragraph, {greeting(letter)}}};
  blocks.push_back(
      {Block::paragraph,
       {"A short reminder: " + assessment_name(letter) +
        (org.empty() ? std::string() : " for " + org) + " is still open, and your view counts."}});
  if (const std::string when = time_and_date(letter); !when.empty())
    blocks.push_back({Block::paragraph, {when}});
  blocks.push_back({Block::button, {"Answer the assessment"}});
  blocks.push_back(
      {Block::paragraph,
       {letter.anonymous ? "Reminders go only to those who have not answered yet, and the "
                           "facilitator does not learn who they are: your answers stay "
                           "anonymous."
                         : "This assessment is not anonymous: the facilitator sees your answers "
                           "together with your name."}});
  blocks.push_back({Block::paragraph, {"Thank you."}});
  return blocks;
}

std::vector<Block> test_blocks(const Letter& letter) {
  const std::string org = one_line(letter.org_name);
  return {{Block::paragraph, {"Hello,"}},
          {Block::paragraph,
           {"This is a test message from cxm" + (org.empty() ? std::string() : " for " + org) +
            ". If you can read it, the mail settings work: invitations and reminders will reach "
            "people the same way."}},
          {Block::paragraph, {"Nothing else needs doing."}}};
}

std::vector<std::string> footer_lines(const Letter& letter) {
  std::vector<std::string> lines;
  const std::string org = one_line(letter.org_name);
  const std::string consultant = one_line(letter.consultant);
  const std::string confidentiality = one_line(letter.confidentiality);
  if (!consultant.empty())
    lines.push_back("Run by " + consultant + (org.empty() ? std::string() : " for " + org));
  if (!confidentiality.empty()) lines.push_back(confidentiality);
  if (letter.kind != Kind::test && !org.empty())
    lines.push_back("You receive this message because " + org + " invited you to this assessment.");
  return lines;
}

std::string subject_of(const Letter& letter) {
  const std::string org = one_line(letter.org_name);
  const std::string title = one_line(letter.title);
  const std::string name = title.empty() ? "customer-experience maturity assessment" : title;
  switch (letter.kind) {
    case Kind::invitation:
      return org.empty() ? "Your invitation: " + name : org + " invites you: " + name;
    case Kind::reminder:
      return "Reminder: " + name +
             (letter.closes_at ? " \u2013 please answer by " + closing_day(*letter.closes_at)
                               : std::string());
    case Kind::test:
      return org.empty() ? "cxm test message" : "cxm test message for " + org;
  }
  return {};
}

constexpr std::size_t kTextWidth = 72;

std::string render_text(const std::vector<Block>& blocks, const Letter& letter) {
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
        out += block.lines[0] + " with your personal link:\n" + link + "\n\n";
        break;
    }
  }
  const auto footer = footer_lines(letter);
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

std::string html_block(const Block& block, const std::string& link) {
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
             std::string(kMuted) +
             "\">If the button does not work, copy your personal link into your browser:<br>"
             "<span style=\"color:#1d4ed8;word-break:break-all;\">" +
             href + "</span></p>\n";
    }
  }
  return out;
}

std::string render_html(const std::vector<Block>& blocks, const Letter& letter,
                        const std::string& subject) {
  const std::string org = one_line(letter.org_name);
  const std::string title = one_line(letter.title);
  const std::string link = one_line(letter.link);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
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
  const std::string heading =
      letter.kind == Kind::test
          ? "Test message"
          : (title.empty() ? "Customer-experience maturity assessment" : title);
  out += "<h1 style=\"margin:0 0 20px;" + std::string(kFont) +
         "color:#111827;font-size:24px;line-height:32px;\">" + html_escape(heading) + "</h1>\n";
  for (const Block& block : blocks) out += html_block(block, link);
  out += "</td></tr>\n";
  const auto footer = footer_lines(letter);
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

std::string closing_day(std::int64_t closes_at) {
  using namespace std::chrono;
  // A cycle closing at midnight takes its last answers the day before.
  const sys_days day = utc_day(closes_at - 1);
  const year_month_day ymd(day);
  const weekday wd(day);
  return std::string(kWeekdays[wd.c_encoding()]) + " " +
         std::to_string(static_cast<unsigned>(ymd.day())) + " " +
         kMonths[static_cast<unsigned>(ymd.month()) - 1] + " " +
         std::to_string(static_cast<int>(ymd.year()));
}

Composed compose(const Letter& letter) {
  std::vector<Block> blocks;
  switch (letter.kind) {
    case Kind::invitation:
      blocks = invitation_blocks(letter);
      break;
    case Kind::reminder:
      blocks = reminder_blocks(letter);
      break;
    case Kind::test:
      blocks = test_blocks(letter);
      break;
  }
  Composed composed;
  composed.subject = subject_of(letter);
  composed.text = render_text(blocks, letter);
  composed.html = render_html(blocks, letter, composed.subject);
  return composed;
}

}  // namespace cxm::mail
