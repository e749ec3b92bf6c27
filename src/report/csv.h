// One CSV cell as every CSV file cxm writes holds it (RFC 4180).
#pragma once

#include <string>
#include <string_view>

namespace cxm::report {

// `text` as a field: quoted, with its quotes doubled, when it holds a
// comma, a quote or a line break; as it is otherwise.
std::string csv_field(std::string_view text);

// `v` in the shortest form that reads back as the same double ("62.5",
// "71.42857142857143").
std::string csv_number(double v);

}  // namespace cxm::report
