// libFuzzer target: any bytes typed as a workshop join code give either no
// code or a code of kJoinCodeLength characters of the alphabet, which
// reads back as itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/workshop.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view typed(reinterpret_cast<const char*>(data), size);
  const auto code = cxm::core::parse_join_code(typed);
  if (!code) return 0;
  if (code->size() != cxm::core::kJoinCodeLength) std::abort();
  for (char c : *code) {
    if (cxm::core::kJoinCodeAlphabet.find(c) == std::string_view::npos) std::abort();
  }
  if (cxm::core::parse_join_code(*code) != code) std::abort();
  return 0;
}
