# Writes INPUT as a C++ string constant into OUTPUT (cxm::model::default_model_text).
file(READ ${INPUT} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
get_filename_component(name ${INPUT} NAME)
file(WRITE ${OUTPUT}
  "// Generated from models/${name}; do not edit.\n"
  "#include <string_view>\n"
  "namespace cxm::model {\n"
  "namespace { constexpr char kText[] = {${bytes} '\\0'}; }\n"
  "std::string_view default_model_text() { return {kText, sizeof(kText) - 1}; }\n"
  "std::string_view default_model_name() { return \"models/${name}\"; }\n"
  "}\n")
