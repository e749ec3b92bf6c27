#include "report/comments_section.h"

#include <cstdio>

#include "core/comments.h"
#include "report/report_text.h"

namespace cxm::report {
namespace {

// Why a competency's comments are withheld (core::comments_withheld_reason)
// in the report's language.
std::string withheld_text(const std::string& reason) {
  unsigned k = 0;
  if (current_lang() != Lang::en && std::sscanf(reason.c_str(), "fewer than %u ", &k) == 1 &&
      reason == core::comments_withheld_reason(k)) {
    return tr("comments.withheld", {{"k", std::to_string(k)}});
  }
  return reason;
}

}  // namespace

nlohmann::json comments_section(const core::Model& model,
                                const std::vector<core::CommentGroup>& groups) {
  using nlohmann::json;
  json out = json::array();
  for (const auto& g : groups) {
    const auto c = model.find_competency(g.competency);
    json texts = json::array();
    for (const auto* e : g.shown) texts.push_back(e->text);
    // A comment a facilitator hid: its reason, never its text, so that a
    // report read later still shows that something was taken out.
    json hidden = json::array();
    if (g.withheld.empty()) {
      for (const auto* e : g.hidden) hidden.push_back(e->hidden_reason);
    }
    out.push_back(
        {{"competency", g.competency},
         {"name", c ? model.competencies[*c].name : g.competency},
         {"question", c ? model.competencies[*c].comment : ""},
         {"texts", texts},
         {"hidden", hidden},
         {"withheld", g.withheld.empty() ? json(nullptr) : json(withheld_text(g.withheld))}});
  }
  return out;
}

}  // namespace cxm::report
