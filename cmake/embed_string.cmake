# Writes INPUT into OUTPUT as the body of `std::string_view NAMESPACE::FUNCTION()`,
# so that a hand-maintained text file (e.g. src/api/openapi.json) ships inside the binary.
file(READ ${INPUT} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(RELATIVE_PATH source ${CMAKE_CURRENT_LIST_DIR}/.. ${INPUT})
file(WRITE ${OUTPUT}
  "// Generated from ${source} by cmake/embed_string.cmake; do not edit.\n"
  "#include <string_view>\n"
  "namespace ${NAMESPACE} {\n"
  "namespace { constexpr char kText[] = {${bytes} '\\0'}; }\n"
  "std::string_view ${FUNCTION}() { return {kText, sizeof(kText) - 1}; }\n"
  "}\n")
