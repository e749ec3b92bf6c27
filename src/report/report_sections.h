// What a report shows beside the score document when its cycle is on the
// server: the benchmark position, the change since the previous cycle, the
// action plan and the discussion's decisions. Plain values, filled by the
// API from the core's results (core/benchmark.h, core/progress.h) and the
// store; each section is absent (or empty) when there is nothing to show,
// and the report then says so or leaves the section out.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cxm::report {

// The organization's position among peers, shown only when the cut holds
// enough peers (the 5-peer rule, checked by the core before this is made).
struct BenchmarkSection {
  struct Row {
    std::string id;    // "overall" or a competency id
    std::string name;  // "Overall" or the competency's name
    double score = 0;
    double percentile = 0;  // mid-rank, 0-100
    long long peers = 0;
    double median = 0, q1 = 0, q3 = 0;
  };
  std::string dataset;  // its name, or "This instance's pool"
  std::string source, citation, licence, published_on;
  bool synthetic = false;  // made-up data: labelled wherever shown
  std::string cut;         // e.g. "Industry: Retail", empty for all peers
  std::vector<Row> rows;   // overall first
  // Set instead of rows when the comparison cannot be shown (too few peers).
  std::string withheld;
};

// The change at the same mix of roles beside a row of the change
// (core::BalancedChange, report::progress_json's role_balanced): only the
// roles shown in both cycles' results take part.
struct BalancedChangeRow {
  struct Role {
    std::string role, name;
    double share_before = 0, share_after = 0;  // 0..1 of each cycle's respondents
  };
  double change = 0;
  std::optional<double> ci_low, ci_high;
  std::string verdict;
  std::vector<Role> roles;
  bool flagged = false;
  std::string reason;  // why flagged, in words; empty when not
};

// The change since the previous cycle of the organization (core/progress.h).
struct ChangeSection {
  struct Row {
    std::string id, name;  // "overall"/"Overall" first, then competencies
    std::optional<double> before, after, change, ci_low, ci_high;
    std::string verdict;  // "improved", "declined", "no clear change", or empty when not computable
    // The change at the same mix of roles; absent with `balanced_note`
    // saying why (fewer than two roles can take part).
    std::optional<BalancedChangeRow> balanced = std::nullopt;
    std::string balanced_note = "";
  };
  std::string since;  // the previous cycle's name
  std::optional<int> stage_before, stage_after;
  std::vector<Row> rows;
};

struct ActionRow {
  std::string title, owner, due, status, competency;
};

struct DecisionRow {
  std::string item_id, statement, note;
  std::optional<int> decision;  // a point of the scale
  std::string decision_label;   // its label, e.g. "Disagree"
};

// A statement a live workshop asked again after talking (issue 23): the
// room's answers before and after, as revealed; `hidden` says why its
// figures are not shown (a round with fewer ratings than the minimum group).
struct WorkshopRoundRow {
  std::string statement, competency;
  std::optional<double> mean_before, mean_after, rwg_before, rwg_after;
  std::string words;   // before and after in plain words
  std::string hidden;  // empty when shown
};

// A section that is absent is left out of the page; the workbook and the
// CSV files keep their (empty) Benchmark, Change, Actions and Decisions
// tables so that their columns stay stable.
struct ReportSections {
  std::optional<BenchmarkSection> benchmark;
  std::optional<ChangeSection> change;
  std::optional<std::vector<ActionRow>> actions;
  std::optional<std::vector<DecisionRow>> decisions;
  // The live workshop's before and after (the page's section, the
  // workbook's and the CSV files' Workshop table).
  std::optional<std::vector<WorkshopRoundRow>> workshop;
};

}  // namespace cxm::report
