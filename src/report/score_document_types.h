// The score document as typed values: what `score_document_json` writes
// (schema "cxm.score/1", SPEC section 5), plus what the server adds to a
// cycle's report (each competency's target stage, the statements out of
// scope, the anonymity release, counts below k hidden as "fewer than k").
// Read from JSON once, by report/score_document_parser.h, which guarantees
// what the comments below promise; renderers take it const and read these
// fields only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/cycle_scoring.h"
#include "core/model.h"
#include "core/scoring.h"
#include "core/segments.h"

namespace cxm::report {

struct ScoreDocument {
  struct ModelReference {
    std::string id, version, title;
    bool operator==(const ModelReference&) const = default;
  };
  struct Scale {
    int min = 1, max = 5;             // min <= max
    std::vector<std::string> labels;  // at least one, lowest point first
    bool operator==(const Scale&) const = default;
  };
  // An action of the model's library against the key obstacle.
  struct Action {
    std::string title, detail;
    std::string owner, success_measure;  // empty when not given
    std::vector<std::string> items;      // statement ids
    bool operator==(const Action&) const = default;
  };
  // The stage reached (absent in a pulse).
  struct Stage {
    int number = 1;  // a step of the ladder
    std::string name, description, obstacle;
    std::vector<Action> obstacle_actions;
    bool indicative = false;  // rests on a step with too few answers to be sure
    bool operator==(const Stage&) const = default;
  };
  // One step of the ladder; `stages[k].number` is k + 1.
  struct LadderStep {
    int number = 1;
    std::string name;
    std::optional<double> score;  // 0..100; null for stage 1 and when nothing was answered
    bool attained = false;
    // The evidence rule: fewer than half of its statements had enough
    // answers to count ("too few answers to be sure"); of how many.
    bool indicative = false;
    long long counted = 0, statements = 0;
    bool operator==(const LadderStep&) const = default;
  };
  struct NextStage {
    int number = 1;  // a step of the ladder
    std::string name;
    bool operator==(const NextStage&) const = default;
  };
  // How the organization's stage was reached (full documents).
  struct StageRollup {
    core::StageRollupRule rule = core::StageRollupRule::pooled_answers;
    int pooled_stage = 1;
    std::optional<std::string> unit;  // the weakest unit, when that rule gave the stage
    long long units_shown = 0;
    std::string statement;  // in words, as reports print it
    // What was done: "pooled", "weakest_unit", "pooled_no_unit_shown" (the
    // rule's unit could not be shown) or "group_pooled" (a role's or a
    // unit's own view, `group`); empty in older documents.
    std::string applied{}, group{};
    bool operator==(const StageRollup&) const = default;
  };
  struct Competency {
    std::string id, name;
    std::optional<double> score;  // 0..100; null when nothing was answered
    std::optional<int> stage;     // a step of the ladder; absent exactly in a pulse
    std::string stage_name;       // empty when `stage` is absent
    std::optional<double> rwg_j;
    long long rwg_j_n = 0;
    std::optional<double> alpha;
    long long alpha_n = 0;
    std::vector<std::string> notes;   // why a statistic is missing
    std::optional<int> target_stage;  // server reports: the organization's target, >= 1
    bool indicative = false;          // its stage rests on too few answers to be sure
    bool operator==(const Competency&) const = default;
  };
  // A statement ("items" in the JSON) with its answers' statistics.
  struct Statement {
    std::string id, competency;
    int stage = 1;
    std::string text;
    bool reverse = false;  // worded in reverse: the score is mirrored, the answers are not
    long long n = 0, missing = 0;
    std::optional<double> mean, median, sd;
    std::optional<double> score;                    // 0..100
    std::optional<double> rwg;                      // present whenever `agreement` is
    std::optional<core::AgreementClass> agreement;  // "class"; absent below 2 answers
    bool bimodal = false;
    std::vector<long long> histogram;  // answers per point of the scale
    std::string note;                  // empty unless the document explains a gap
    bool operator==(const Statement&) const = default;
  };
  struct RankedCompetency {
    std::string id, name;
    double score = 0;  // 0..100
    bool operator==(const RankedCompetency&) const = default;
  };
  struct RankedStatement {
    std::string id, text;
    double score = 0;  // 0..100
    bool operator==(const RankedStatement&) const = default;
  };
  struct Ranking {
    std::vector<RankedCompetency> competencies;
    std::vector<RankedStatement> items;
    bool operator==(const Ranking&) const = default;
  };
  struct SegmentScore {
    std::string id;  // a competency id
    std::optional<double> score;
    bool operator==(const SegmentScore&) const = default;
  };
  // A role or a unit.
  struct Segment {
    std::string value, name;
    std::optional<long long> respondents;  // absent when hidden as "fewer than"
    std::optional<long long> fewer_than;   // present whenever `respondents` is absent
    std::optional<long long> imported;     // of respondents, answers the facilitator supplied
    bool suppressed = false;
    std::string reason;                   // why it is hidden; empty when shown
    std::optional<double> overall_score;  // shown segments only
    std::optional<int> stage;             // shown segments of a full document
    std::string stage_name;
    std::vector<SegmentScore> competencies;  // shown segments only
    bool operator==(const Segment&) const = default;
  };
  struct Segments {
    std::vector<Segment> role, unit;
    bool operator==(const Segments&) const = default;
  };
  // Two groups' scores compared (Welch interval, Cohen's d).
  struct Difference {
    std::optional<double> mean_a, mean_b;
    long long n_a = 0, n_b = 0;
    std::optional<double> difference, ci_low, ci_high, cohens_d;
    bool operator==(const Difference&) const = default;
  };
  struct CompetencyDifference {
    std::string id;
    Difference difference;
    bool operator==(const CompetencyDifference&) const = default;
  };
  // The perception gap between two roles or two units.
  struct Gap {
    core::SegmentKind segment = core::SegmentKind::role;
    std::string a, b;
    Difference overall;
    std::vector<CompetencyDifference> competencies;
    bool operator==(const Gap&) const = default;
  };
  struct OutOfScope {
    std::string id, text, reason;
    bool operator==(const OutOfScope&) const = default;
  };
  // The silo score (SPEC section 3): everyone's and each shown unit's,
  // beside the spread of the shown units' overall scores.
  struct SiloUnit {
    std::string name;
    std::optional<double> score;  // 0..100; null when no silo statement counts in the unit
    std::optional<long long>
        counted;  // silo statements counted in the unit; absent in older documents
    bool operator==(const SiloUnit&) const = default;
  };
  struct Silo {
    std::optional<double> score;          // 0..100; null when no silo statement counts
    std::optional<long long> counted;     // silo statements counted; absent in older documents
    std::vector<std::string> statements;  // ids of the silo statements
    std::vector<SiloUnit> units;          // only units shown
    std::optional<double> spread;         // null below two shown units
    bool operator==(const Silo&) const = default;
  };
  // Anonymous cycles on the server: results are published in releases.
  struct Anonymity {
    long long release = 0, released = 0, held_back = 0;
    bool operator==(const Anonymity&) const = default;
  };
  // The comments that may be shown, per competency asking a comment
  // question (report/comments_section.h); `withheld` says why none are.
  struct Comments {
    std::string competency, name, question;
    std::vector<std::string> texts;
    // Why each comment a facilitator hid is hidden (never its text); empty
    // in older documents.
    std::vector<std::string> hidden_reasons{};
    std::string withheld;  // empty: the texts are shown
    bool operator==(const Comments&) const = default;
  };

  // Outside-in (SPEC section 4.10; server reports of a whole cycle whose
  // organization has customer metrics): the customers' figures for the
  // cycle's period and the delivery gap, with the caveat.
  struct OutsideInFigure {
    std::string unit;  // empty: the whole organization
    std::string period, source;
    double value = 0, normalized = 0;
    long long respondents = 0;
    bool synthetic = false;
    std::optional<double> before, change;  // since the previous full cycle's figure
    std::string since_period, since_cycle;
    std::string change_note;  // why there is no change; empty when there is one
    bool operator==(const OutsideInFigure&) const = default;
  };
  struct OutsideInMissing {
    std::string unit, reason;
    bool operator==(const OutsideInMissing&) const = default;
  };
  struct OutsideInMetric {
    std::string metric, name, definition;
    double scale_min = 0, scale_max = 100;
    bool synthetic = false;
    std::string reason;  // "no customer figure for this cycle's period"; empty when figures
    std::vector<OutsideInFigure> figures;
    std::vector<OutsideInMissing> missing;
    bool operator==(const OutsideInMetric&) const = default;
  };
  struct DeliveryGapRow {
    std::string metric, unit, period;
    std::optional<double> own, gap;
    long long own_statements = 0, own_respondents = 0, customer_respondents = 0;
    double customers = 0, customer_value = 0;
    std::string reason;  // why `own` is absent
    bool operator==(const DeliveryGapRow&) const = default;
  };
  struct DeliveryGapHidden {
    std::string metric, unit, reason;
    bool operator==(const DeliveryGapHidden&) const = default;
  };
  struct OutsideIn {
    std::string caveat, first_day, last_day, figures_from;
    std::vector<OutsideInMetric> metrics;
    std::vector<std::string> statements;  // the statements customers can feel
    std::string gap_reason;               // why there is no delivery gap; empty when there is
    std::vector<DeliveryGapRow> rows;
    std::vector<DeliveryGapHidden> hidden;
    bool operator==(const OutsideIn&) const = default;
  };

  core::Form form = core::Form::full;
  ModelReference model;
  Scale scale;
  double threshold = 60;  // 0..100
  long long respondents = 0, answering = 0, min_group_size = 0;
  std::optional<long long> answers_to_count;  // the evidence rule's; absent in older documents
  std::optional<long long> imported;          // of respondents, imported rows (absent: none)
  std::optional<double> overall_score;        // 0..100
  std::optional<Stage> stage;                 // present exactly in a full document
  std::vector<LadderStep> stages;             // the ladder, stage 1 first; empty in a pulse
  std::optional<NextStage> next_stage;        // absent at the top stage and in a pulse
  std::vector<std::string> next_stage_gaps;   // ids of statements in `items`
  std::optional<StageRollup> stage_rollup;
  std::string note;  // a pulse's note instead of a stage verdict
  std::vector<Competency> competencies;
  std::vector<Statement> items;
  Ranking strengths, weaknesses;
  Segments segments;
  std::vector<Gap> gaps;
  std::vector<OutOfScope> out_of_scope;  // server reports; empty otherwise
  std::optional<Anonymity> anonymity;    // server reports of anonymous cycles
  // Server reports of a whole cycle: the languages respondents answered in
  // ({lang, respondents}, what anonymity lets show) and why some are not.
  std::vector<std::pair<std::string, long long>> languages{};
  std::string languages_note{};
  std::optional<Silo> silo;               // absent when the model has no silo statement
  std::vector<Comments> comments{};       // empty: the model asks none
  std::optional<OutsideIn> outside_in{};  // absent: no customer metrics (or not a whole report)
  bool operator==(const ScoreDocument&) const = default;
};

// The statement of `document` with `id`, or null.
inline const ScoreDocument::Statement* find_statement(const ScoreDocument& document,
                                                      std::string_view id) {
  for (const auto& statement : document.items) {
    if (statement.id == id) return &statement;
  }
  return nullptr;
}

}  // namespace cxm::report
