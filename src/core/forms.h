// The forms a model's questionnaire comes in (full or pulse) and how long
// each takes to answer.
#pragma once

#include <cstddef>

#include "core/model.h"

namespace cxm::core {

// Pulse statements per competency a model needs for a pulse form: fewer
// would leave a competency without agreement (rwg(j)) and reliability.
inline constexpr std::size_t kMinPulseItemsPerCompetency = 2;

// True when some statement is flagged `pulse`. A validated model then has
// at least kMinPulseItemsPerCompetency of them in every competency.
bool has_pulse_form(const Model& model);

// The model as a pulse asks it: the same stages, competencies, scale and
// actions, only the pulse statements (in model order), and form ==
// Form::pulse. `model` must be a full model with a pulse form.
Model pulse_form(const Model& model);

// The model as a cycle of the given form asks it.
Model questionnaire_form(const Model& model, Form form);

// About how many minutes `statements` agreement statements take to answer
// (roughly ten seconds each, as the questionnaire is read on a phone);
// at least 1.
int estimated_minutes(std::size_t statements);

}  // namespace cxm::core
