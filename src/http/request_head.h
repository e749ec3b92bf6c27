// A request as Beast parsed it, turned into our Request: the one place
// where a target's path and query string and the header names are read
// from what a client sent. Pure (no sockets), so that it can be fuzzed
// behind Beast's own parser (fuzz/fuzz_http_request.cpp).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/message.h"

namespace cxm::http {

// Fills `out`'s method, target, decoded path and query parameters (a
// repeated name keeps its last value), headers (names lower-cased; a
// repeated header keeps its last value) and body, which is moved out of
// `in`. False, with `out` partly filled, when the target is not a valid
// origin-form URL ("/path?query").
bool translate_request(boost::beast::http::request<boost::beast::http::string_body>& in,
                       Request& out);

}  // namespace cxm::http
