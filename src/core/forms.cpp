#include "core/forms.h"

#include <algorithm>

namespace cxm::core {

bool has_pulse_form(const Model& model) {
  return std::any_of(model.items.begin(), model.items.end(), [](const Item& i) { return i.pulse; });
}

Model pulse_form(const Model& model) {
  Model pulse = model;
  pulse.form = Form::pulse;
  std::erase_if(pulse.items, [](const Item& i) { return !i.pulse; });
  return pulse;
}

Model questionnaire_form(const Model& model, Form form) {
  return form == Form::pulse ? pulse_form(model) : model;
}

int estimated_minutes(std::size_t statements) {
  // Ten seconds a statement, rounded to the nearest minute.
  return std::max(1, static_cast<int>((statements * 10 + 30) / 60));
}

}  // namespace cxm::core
