// An organization's scope: statements it has taken out because they do not
// apply to it (a business-to-business firm without a contact centre, say).
// Out-of-scope statements are not scored (their answers are ignored, so no
// competency, stage or agreement figure includes them) and no drafted
// action is aimed only at them.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "core/model.h"

namespace cxm::core {

// Why `out_of_scope` cannot be applied to `model`: an unknown statement id,
// or a stage (2..N) or competency that would be left with no statement
// (the stage rule could then never attain it). nullopt when it can.
std::optional<std::string> scope_problem(const Model& model,
                                         const std::set<std::string>& out_of_scope);

// `model` without the out-of-scope statements: the same stages,
// competencies, scale and roles; library actions lose the statements taken
// out, and an action that was aimed only at such statements is dropped.
// Ids not in the model are ignored. The result scores and plans as any
// model does.
Model in_scope(const Model& model, const std::set<std::string>& out_of_scope);

}  // namespace cxm::core
