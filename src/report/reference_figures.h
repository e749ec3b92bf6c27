// Published figures about CX maturity in general, shown as cited context
// beside a cycle's results (the report, the benchmark page): never as a
// percentile, a peer or a benchmark. Each one is exactly as the public
// source states it, with its source, year and sample size; where a figure
// is derived or from a different maturity model, its note says so and is
// shown with it. Collected from /work/shared/reference/published-figures.md;
// figures there that say nothing about maturity stages or about how
// different groups inside a company see its customer experience (the
// Temkin Experience Ratings of companies by consumers) are left out.
#pragma once

#include <string>
#include <vector>

namespace cxm::report {

struct ReferenceFigure {
  std::string id;         // stable, e.g. "temkin-2013-top-two-stages"
  std::string statement;  // what was measured, in plain words
  std::string value;      // as the source states it, e.g. "6%"
  std::string sample;     // e.g. "224 large companies"
  int year = 0;           // of the data
  std::string source;     // who published it, and where it was found
  std::string note;       // caveats (a different model, a derived value); may be empty
};

// Every figure cxm ships, in the order shown.
const std::vector<ReferenceFigure>& reference_figures();

// "Temkin Group, State of CX Management 2013 (cmswire.com, 2013); 224 large
// companies; 2013": how a figure is cited wherever it is shown.
std::string citation_of(const ReferenceFigure& figure);

}  // namespace cxm::report
