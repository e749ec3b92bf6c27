# Writes the translations INPUTS (a ;-list of models/NAME.LANG.yaml) as C++
# string constants into OUTPUT (cxm::model::default_translations).
set(entries "")
set(constants "")
set(n 0)
foreach(input IN LISTS INPUTS)
  file(READ ${input} content HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
  get_filename_component(name ${input} NAME)
  string(REGEX REPLACE "^[^.]+\\.([^.]+)\\.yaml$" "\\1" language "${name}")
  string(APPEND constants "constexpr char kText${n}[] = {${bytes} '\\0'};\n")
  string(APPEND entries "      {\"${language}\", \"models/${name}\", {kText${n}, sizeof(kText${n}) - 1}},\n")
  math(EXPR n "${n} + 1")
endforeach()
file(WRITE ${OUTPUT}
  "// Generated from models/*.LANG.yaml; do not edit.\n"
  "#include \"model/translation_parser.h\"\n"
  "namespace cxm::model {\n"
  "namespace {\n${constants}}\n"
  "const std::vector<EmbeddedTranslation>& default_translations() {\n"
  "  static const std::vector<EmbeddedTranslation> translations{\n${entries}  };\n"
  "  return translations;\n"
  "}\n"
  "}\n")
