// The score document's "comments" section: what of the respondents'
// comments may be shown (core/comments.h chose them), per competency that
// asks a comment question.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "core/comments.h"
#include "core/model.h"

namespace cxm::report {

// [{competency, name, question, texts:[…], withheld: reason|null}] in model
// order; the texts in the groups' (keyed) order, hidden comments left out.
nlohmann::json comments_section(const core::Model& model,
                                const std::vector<core::CommentGroup>& groups);

}  // namespace cxm::report
