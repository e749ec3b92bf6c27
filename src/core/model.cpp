#include "core/model.h"

namespace cxm::core {
namespace {

template <typename T>
std::optional<std::size_t> find_by_id(const std::vector<T>& list, std::string_view id) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].id == id) return i;
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(Form form) { return form == Form::pulse ? "pulse" : "full"; }

std::optional<std::size_t> Model::find_item(std::string_view id) const {
  return find_by_id(items, id);
}
std::optional<std::size_t> Model::find_competency(std::string_view id) const {
  return find_by_id(competencies, id);
}
std::optional<std::size_t> Model::find_role(std::string_view id) const {
  return find_by_id(roles, id);
}

}  // namespace cxm::core
