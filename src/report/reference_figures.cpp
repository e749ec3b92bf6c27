#include "report/reference_figures.h"

namespace cxm::report {

const std::vector<ReferenceFigure>& reference_figures() {
  static const std::vector<ReferenceFigure> figures = {
      {"temkin-2013-top-two-stages",
       "Companies in the top two of six customer experience maturity stages", "6%",
       "224 large companies", 2013,
       "Temkin Group, State of CX Management 2013 (reported by cmswire.com, 2013)", ""},
      {"temkin-2016-top-bottom-stages",
       "Companies in the top two / the bottom two of six customer experience maturity stages",
       "10% / nearly half", "200+ large companies", 2016,
       "Temkin Group, State of CX Management (reported by cmswire.com, \"from fluff to tough\")",
       "\"nearly half\" is the source's wording"},
      {"xmi-2024-stages",
       "Organizations per stage of the XM Institute's five-stage model (Investigate, Initiate, "
       "Mobilize, Scale, Embed)",
       "41%, 30%, 18%, about 9%, 2%", "234 CX practitioners", 2024,
       "Qualtrics XM Institute, State of CX Management 2024",
       "a different, five-stage model; the Scale share is not stated by the source but derived by "
       "subtraction"},
      {"xmi-2019-top-bottom-stages",
       "Organizations in the top stage / the bottom two stages of the XM Institute's five-stage "
       "model",
       "6% / 79%", "212 organisations with revenue of $500M or more", 2019,
       "Qualtrics XM Institute (reported by customercontactweekdigital.com)",
       "a different, five-stage model"},
      {"bain-2005-delivery-gap",
       "Firms that believe they deliver a superior experience / their customers who agree",
       "80% / 8%", "362 firms", 2005, "Bain & Company, \"Closing the delivery gap\"", ""},
      {"axonify-2026-feedback-acted-on",
       "Leaders / frontline employees who say customer feedback is acted on", "74% / 41%",
       "1,594 respondents", 2026, "Axonify survey (reported by cxm.world)", ""},
  };
  return figures;
}

std::string citation_of(const ReferenceFigure& figure) {
  return figure.source + "; " + figure.sample + "; " + std::to_string(figure.year);
}

}  // namespace cxm::report
