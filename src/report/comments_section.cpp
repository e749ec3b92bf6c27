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
    out.push_back({{"competency", g.competency},
                   {"name", c ? model.competencies[*c].name : g.competency},
                   {"question", c ? model.competencies[*c].comment : ""},
                   {"texts", texts},
                   {"withheld", g.withheld.empty() ? json(nullptr) : json(g.withheld)}});
  }
  return out;
}

}  // namespace cxm::report
