// A cycle's report: the score document of what its published result shows
// (results/published_result.h), under the organization's roll-up rule,
// targets and scope, as typed values (CycleReport); its JSON is the body of
// GET /api/cycles/{cycle}/report. Kept per filter and language in the
// CycleCache until the cycle's answers change.
#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/cycle_scoring.h"
#include "report/score_document_types.h"
#include "results/cycle_cache.h"

namespace cxm::results {

using nlohmann::json;

// One report of a cycle (under a filter, in a language). Either scored —
// `document()` holds the score document with what the server adds (targets,
// scope, comments, outside-in, anonymity, languages) — or withheld:
// nothing may be shown yet, and `withheld()` says why. Its JSON is made
// once, the first time a response needs it; readers of its figures take
// them from the typed values. Immutable once made; thread-safe.
class CycleReport {
 public:
  // Why a report shows no figures (the body of its JSON says the same).
  struct Withheld {
    std::string reason;
    bool suppressed = false;  // a group too small to show (or not shown)
    // Anonymous cycles: the release shown (0: nothing published yet).
    std::optional<long long> release;
  };

  // A report with results, from its JSON document (schema "cxm.score/1",
  // the server's sections added), read once into typed values.
  static std::shared_ptr<const CycleReport> scored(json document, std::string lang);
  // A report that shows nothing, from its JSON body ({suppressed,
  // respondents, reason, ...}).
  static std::shared_ptr<const CycleReport> withheld(json body);

  // The score document; null when withheld (or, never expected, when the
  // document does not read: `problem()` says why).
  const report::ScoreDocument* document() const { return document_ ? &*document_ : nullptr; }
  // Set exactly when the report shows nothing; null for a scored report,
  // also one whose document did not read (a bug that must answer as an
  // error, never as "no results yet").
  const Withheld* withheld() const { return document_ || !problem_.empty() ? nullptr : &withheld_; }
  // Why a scored report's document did not read (a bug); empty otherwise.
  const std::string& problem() const { return problem_; }
  // The language the report is in (scored reports; empty when withheld).
  const std::string& lang() const { return lang_; }

  // The report as the API answers it (compact JSON), made on first use.
  std::shared_ptr<const std::string> json_text() const;

  // Use the factories.
  CycleReport() = default;

 private:
  std::optional<report::ScoreDocument> document_;
  Withheld withheld_;
  std::string problem_, lang_;
  // What the JSON is made from, until it is made (then released).
  mutable json source_;
  mutable std::once_flag dumped_;
  mutable std::shared_ptr<const std::string> text_;
};

// An organization's roll-up rule and out-of-scope statement ids as the
// scoring core takes them.
core::StageRollupRule rollup_rule(const store::Organization& org);
std::set<std::string> out_of_scope_ids(const store::OrgAims& aims);

// The report of `cycle` filtered to `role` or `unit` (at most one, may be
// empty), computed from `answers` (the cycle's, as Store::cycle_answers
// gives them), its model texts and words in `lang` (one the cycle offers;
// "" for its default). Blocks (may parse the cycle's model).
std::shared_ptr<const CycleReport> build_cycle_report(
    Results& results, const store::Cycle& cycle, const std::string& role, const std::string& unit,
    const std::vector<store::ParticipantAnswers>& answers, const store::Organization& org,
    const store::OrgAims& aims, const std::string& lang = "");

// The report filtered to `role` or `unit` (at most one) in `lang`, from the
// cache or computed and kept; nullptr when the cycle's organization is
// gone. Blocks on a miss.
std::shared_ptr<const CycleReport> cycle_report(Results& results, const store::Cycle& cycle,
                                                const std::string& role = "",
                                                const std::string& unit = "",
                                                const std::string& lang = "");

// The cache key of a filter: "", "role:R" or "unit:U".
std::string report_filter(const std::string& role, const std::string& unit);
// The cache key of a filter's report in a language (offered_language of
// `lang`): "FILTER@LANG".
std::string report_key(const store::Cycle& cycle, const std::string& filter,
                       const std::string& lang);

// The languages the submitted respondents answered in, as the whole
// cycle's report shows them: `languages` [{lang, respondents}] by the
// language each link last chose (a link that never chose counts under the
// cycle's default), imported rows left out (they have no language); in an
// anonymous cycle only the published respondents and only counts that
// single out no one, alone or beside the total and earlier releases
// (docs/anonymity.md), with `languages_note` saying what is not shown and
// why. Sets both keys of `doc` (the note null when there is nothing to say).
void add_languages(json& doc, const store::Cycle& cycle,
                   const std::vector<store::ParticipantAnswers>& answers);

}  // namespace cxm::results
