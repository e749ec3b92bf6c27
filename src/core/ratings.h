// Customer-ratings datasets (SPEC section 4.10): published or collected
// ratings of companies by their own customers (NPS, CSAT, CES or a named
// rating), per company, industry and year, and where an organization's own
// customer figure stands among its industry's. Pure: the caller reads the
// dataset and the organization's figures and passes them in.
//
// The place is a comparison, never a cause; the 5-peer rule of
// benchmarking holds (kMinimumPeers): no figure about fewer peers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/customer_metrics.h"

namespace cxm::core {

// One company's rating for one year, as a dataset holds it.
struct CustomerRating {
  std::string company;   // a name or a pseudonym
  std::string industry;  // e.g. "Retail"
  int year = 0;          // 1900..9999
  std::string metric;    // "nps", "csat", "ces", or a named rating (valid_metric_id)
  std::string name;      // the metric's name (a builtin's own name)
  double scale_min = 0;  // the builtin's scale, or the named rating's
  double scale_max = 100;
  double value = 0;                         // on the scale
  std::optional<std::int64_t> respondents;  // customers behind it, when known (>= 1)
  std::string source;                       // where this row comes from; may be empty
};

// The organization's own figure used for a year: its whole-organization
// figure of the latest period in that year.
struct OwnRating {
  std::string period;  // to_text(Period), e.g. "2026-03"
  double value = 0;
  std::int64_t respondents = 0;
  std::string source;
  bool synthetic = false;
};

// Where the organization stands among its industry's ratings of one
// metric (on one scale) in one year.
struct RatingPosition {
  std::string metric;
  std::string name;
  double scale_min = 0;
  double scale_max = 100;
  int year = 0;
  std::optional<OwnRating> own;
  std::size_t peers = 0;    // companies of the industry rated on this metric and scale that year
  std::size_t missing = 0;  // kMinimumPeers - peers when too few, else 0
  std::optional<double> percentile;  // mid-rank (percentile_rank); needs own and enough peers
  std::optional<double> median;      // of the peers, as R's quantile(type = 7); enough peers
  std::optional<double> q1;
  std::optional<double> q3;
  // Why the percentile is absent, in words (every reason that holds, in
  // order: no industry, too few peers, no own figure, another scale);
  // empty when it is shown.
  std::string reason;
};

// Industries compare trimmed and case-insensitively (ASCII): "retail " is "Retail".
bool same_industry(std::string_view a, std::string_view b);

// The year of a stored figure's period ("2026-03" -> 2026), or 0 when the
// text is not a period.
int year_of_period(std::string_view period);

// One position for every metric (and scale) and year the dataset holds:
// builtin metrics first in the order of builtin_metrics(), then named
// ratings by id and scale, each latest year first. `industry` is the
// organization's (empty: none set); `named` and `figures` are its customer
// metrics (figures of units are not used). A named rating compares only
// with rows of the same id and the same scale as the organization's own
// definition.
std::vector<RatingPosition> rating_positions(const std::vector<CustomerRating>& dataset,
                                             std::string_view industry,
                                             const std::vector<MetricDefinition>& named,
                                             const std::vector<CustomerFigure>& figures);

}  // namespace cxm::core
