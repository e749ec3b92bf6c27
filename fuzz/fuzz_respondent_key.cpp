// libFuzzer target: any bytes as a survey tool's respondent id give a key
// (answers/respondent_key.h), never a crash: for well-formed UTF-8 a
// well-formed key without white space at either end or doubled, which is
// its own key (so stored keys compare the same forever); for anything else
// the bytes themselves behind a 0xFF byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "answers/respondent_key.h"
#include "model/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view id(reinterpret_cast<const char*>(data), size);
  const std::string key = cxm::answers::respondent_key(id);
  if (key != cxm::answers::respondent_key(id)) std::abort();  // the same every time
  if (cxm::model::find_invalid_utf8(id)) {
    if (key != "\xff" + std::string(id)) std::abort();
    return 0;
  }
  if (cxm::model::find_invalid_utf8(key)) std::abort();
  if (!key.empty() && (key.front() == ' ' || key.back() == ' ')) std::abort();
  if (key.find("  ") != std::string::npos) std::abort();
  if (cxm::answers::respondent_key(key) != key) std::abort();
  return 0;
}
