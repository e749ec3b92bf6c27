// Outside-in (SPEC section 4.10) in words, as every report form prints it:
// the customers' figures for the cycle's period, their change, and the
// delivery gap with its caveat (docs/outside-in.md).
#pragma once

#include <string>
#include <vector>

#include "report/score_document_types.h"

namespace cxm::report {

// "Whole organization" for the empty unit, else the unit's name.
std::string outside_in_group(const std::string& unit);

// A metric's value as printed: whole numbers without decimals, else one.
std::string metric_value_text(double value);

// The period the figures are for, in one sentence.
std::string outside_in_period_sentence(const ScoreDocument::OutsideIn& section);

// "+5 since 2025-10 (Autumn review)" or why there is no change.
std::string figure_change_text(const ScoreDocument::OutsideInFigure& figure);

// "12 points above the customers' figure" / "below" / "level with".
std::string gap_text(const ScoreDocument::DeliveryGapRow& row);

// How to read the delivery gap, in one paragraph (before the caveat).
std::string delivery_gap_explanation(const ScoreDocument::OutsideIn& section);

// The name of `metric` as the section shows it, else the id.
std::string outside_in_metric_name(const ScoreDocument::OutsideIn& section,
                                   const std::string& metric);

}  // namespace cxm::report
