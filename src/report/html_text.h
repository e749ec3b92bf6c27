// Text made safe inside HTML: for the printable report and the HTML part of
// the messages cxm mails (src/mail). Pure.
#pragma once

#include <string>
#include <string_view>

namespace cxm::report {

// `text` with & < > " and ' as character references: safe as element
// content and inside a quoted attribute value.
std::string html_escape(std::string_view text);

}  // namespace cxm::report
