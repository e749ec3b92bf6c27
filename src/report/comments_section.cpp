#include "report/comments_section.h"

namespace cxm::report {

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
    out.push_back({{"competency", g.competency},
                   {"name", c ? model.competencies[*c].name : g.competency},
                   {"question", c ? model.competencies[*c].comment : ""},
                   {"texts", texts},
                   {"hidden", hidden},
                   {"withheld", g.withheld.empty() ? json(nullptr) : json(g.withheld)}});
  }
  return out;
}

}  // namespace cxm::report
