// The messages cxm mails to participants, as text: what an invitation, a
// reminder and a test message say (compose), and the RFC 5322 message that
// carries them (mime_message). Pure: the clock and the message id are
// passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cxm::mail {

enum class Kind { invitation, reminder, test };

// What a message says. Every text is plain text (UTF-8); compose escapes it
// for HTML and removes line breaks and control characters.
struct Letter {
  Kind kind = Kind::invitation;
  std::string recipient_name;             // may be empty: "Hello,"
  std::string org_name, title;            // title: participant-facing (participant_title)
  std::string link;                       // absolute: public_url + "/r/" + token (empty for test)
  std::optional<std::int64_t> closes_at;  // Unix ms
  int minutes = 0;                        // time it takes; 0: not said
  bool anonymous = true;
  int min_group_size = 3;
  std::string consultant, confidentiality;  // branding lines, may be empty
  std::string logo_bytes, logo_type;        // checked PNG/JPEG, may be empty: inline image (cid)
  int reminder_number = 0;                  // 1, 2, … for reminders
  // The language the message is written in: "de" German, otherwise
  // English (the recipient's chosen language, else the cycle's default).
  std::string lang = "en";
};

struct Composed {
  std::string subject;  // one line
  std::string text;     // plain text, lines ended by \n
  std::string html;     // a whole HTML document; the logo as cid:kLogoContentId
};

// The Content-ID of the logo that the HTML part refers to.
inline constexpr const char* kLogoContentId = "logo@cxm";

Composed compose(const Letter& letter);

// "Friday 18 December 2026" ("Freitag, 18. Dezember 2026" in German): the
// last day (UTC) on which a cycle closing at `closes_at` (Unix ms) takes
// answers.
std::string closing_day(std::int64_t closes_at, std::string_view lang = "en");

// The whole message as handed to the SMTP server: From (the organization as
// display name), To (the recipient's name), Subject (RFC 2047 encoded words
// when not ASCII or long), Date (RFC 5322, UTC), Message-ID
// (<message_id@domain of from>), MIME-Version, Auto-Submitted, and a
// multipart/alternative body of the text and the HTML (UTF-8,
// quoted-printable); with a logo the HTML and the image form a
// multipart/related part. Lines end in CRLF and are at most 78 bytes
// (From and To at most 998, with a long address).
// Line breaks and control characters are removed from every header value,
// so no value can add a header. `from` and `to` must be addresses that
// address_error accepts.
std::string mime_message(const Composed& composed, const Letter& letter, const std::string& from,
                         const std::string& to, std::int64_t now_ms, const std::string& message_id);

}  // namespace cxm::mail
