// Benchmarking against peers (SPEC section 3, "Percentile rank"; 4.3): where
// an organization's overall and competency scores stand within a set of
// other organizations' assessments, filtered by model, industry, size band,
// region and period. Pure: the caller reads the dataset and passes it in.
//
// The 5-peer rule: no figure about a cut (percentile, median, quartiles,
// stage distribution) is given when it holds fewer than kMinimumPeers
// assessments with a value; the answer says how many are missing instead.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/wavelet_matrix.h"

namespace cxm::core {

inline constexpr std::size_t kMinimumPeers = 5;

// A calendar date as days since 1970-01-01 (proleptic Gregorian).
using Day = std::int32_t;

// Strict YYYY-MM-DD (years 1900..9999, a real day of that month), or nullopt.
std::optional<Day> parse_iso_date(std::string_view text);
std::string format_iso_date(Day day);

// 100 x (below + equal / 2) / n: the mid-rank percentile. n must be > 0.
double percentile_rank(std::size_t below, std::size_t equal, std::size_t n);

// The size bands (employees) an organization chooses from, in their
// canonical form: ASCII hyphen, no thousands separators. Datasets, the
// organization form and every filter use these spellings.
inline constexpr std::array<std::string_view, 5> kSizeBands = {"1-49", "50-249", "250-999",
                                                               "1000-4999", "5000+"};

// A size band in canonical form, however it was typed: any dash (en, em,
// minus sign, hyphen) becomes '-', and spaces and thousands separators
// between digits go ("1,000 – 4,999" -> "1000-4999", "5 000+" -> "5000+").
// Text that is not a band of numbers ("Large") is only trimmed.
std::string canonical_size_band(std::string_view text);

// Whether `text`, in canonical form, is one of kSizeBands.
bool is_size_band(std::string_view text);

// One assessment of another organization, as a dataset holds it.
struct PeerAssessment {
  std::string organization;  // the dataset's label (often a pseudonym); never shown
  std::string industry;
  std::string size_band;
  std::string region;
  Day assessed_on = 0;
  std::string model_id;
  int stage = 1;                                    // >= 1
  double overall = 0;                               // 0..100
  std::vector<std::optional<double>> competencies;  // 0..100, one per PeerTable::competency_ids
};

struct PeerTable {
  std::vector<std::string> competency_ids;
  std::vector<PeerAssessment> rows;
};

// An organization that could be a peer in a pool of organizations on one
// instance (SPEC section 8, "Insiders").
struct PoolCandidate {
  std::vector<std::string> members;  // user ids, administrators of the instance left out
  // Of its assessment's respondents, those who answered themselves, and
  // the minimum group of the cycle.
  std::size_t answered_themselves = 0;
  std::size_t min_group_size = 0;
  Day assessed_on = 0;
};

// The candidates that count as independent peers, by position, ascending:
// none that shares a member with `asking` (the members of the organization
// asking; empty for no one), each with at least max(k, 3) respondents who
// answered themselves, k its cycle's minimum group; and of the
// organizations linked by shared members (directly or through others) only
// one, the one whose assessment has the most respondents who answered
// themselves (then the latest, then the first), so that one person's many
// organizations are one peer.
std::vector<std::size_t> independent_peers(const std::vector<PoolCandidate>& candidates,
                                           const std::vector<std::string>& asking);

// Where a dataset comes from, shown wherever it is used. A synthetic
// dataset (made up for a demo or a test) is labelled so everywhere.
struct DatasetProvenance {
  std::string name;
  std::string source;    // who collected it
  std::string citation;  // how to cite it
  std::string licence;
  std::string published_on;  // YYYY-MM-DD, or empty when unknown
  bool synthetic = false;
};

// The cut to compare against. Text filters match case-insensitively and
// exactly; an absent filter matches everything. Dates are inclusive.
struct PeerFilter {
  std::optional<std::string> model_id;
  std::optional<std::string> industry;
  std::optional<std::string> size_band;
  std::optional<std::string> region;
  std::optional<Day> since;
  std::optional<Day> until;
};

// Our own scores (0..100); a competency is named by its id.
struct OwnScores {
  std::optional<double> overall;
  std::vector<std::pair<std::string, std::optional<double>>> competencies;
};

// Where one score stands. When n < kMinimumPeers only n and missing are
// set. percentile is also absent when our own score is unknown.
struct Standing {
  std::optional<double> score;  // ours
  std::size_t n = 0;            // peers in the cut with a value
  std::size_t missing = 0;      // kMinimumPeers - n when n is too small, else 0
  bool in_dataset = true;       // false: the dataset has no column for this competency
  std::optional<double> percentile;
  std::optional<double> median;  // quartiles as R's quantile(type = 7)
  std::optional<double> q1;
  std::optional<double> q3;
};

struct CompetencyStanding {
  std::string id;
  Standing standing;
};

struct BenchmarkResult {
  std::size_t peers = 0;    // assessments in the cut
  std::size_t missing = 0;  // kMinimumPeers - peers when too few, else 0
  Standing overall;
  std::vector<CompetencyStanding> competencies;  // in the order of OwnScores
  // Peers per stage: stage_counts[s - 1] for stage s; empty when too few peers.
  std::vector<std::size_t> stage_counts;
};

// The values a dataset has for a filter, so that a user picks from them
// instead of typing: per dimension, the values (first spelling seen; size
// bands canonical) held by at least `minimum` assessments of the model,
// sorted (size bands in the order of kSizeBands, then others).
struct FilterChoices {
  std::vector<std::string> industries;
  std::vector<std::string> size_bands;
  std::vector<std::string> regions;
};
FilterChoices filter_choices(const PeerTable& table, const std::optional<std::string>& model_id,
                             std::size_t minimum);

// R's quantile(type = 7) of ascending `sorted` at p in [0, 1]; nullopt when empty.
std::optional<double> sorted_quantile(const std::vector<double>& sorted, double p);

// The simple reference: the comparison by sorting the cut. Linear in the
// table; the index below gives the same answers.
BenchmarkResult compare_with_peers(const PeerTable& table, const PeerFilter& filter,
                                   const OwnScores& own);

// An immutable index over a peer table that answers compare() in time
// proportional to the number of (model, industry, size, region) cells, not
// the number of assessments: rows are ordered by cell then date, so a cut
// is a few position ranges, and each score column is a wavelet matrix of
// value ranks, so counts below a score and the k-th smallest value over
// those ranges are O(log distinct values) per range.
class PeerIndex {
 public:
  explicit PeerIndex(const PeerTable& table);

  std::size_t size() const { return dates_.size(); }
  const std::vector<std::string>& competency_ids() const { return competency_ids_; }

  BenchmarkResult compare(const PeerFilter& filter, const OwnScores& own) const;
  // filter_choices over the indexed table.
  FilterChoices choices(const std::optional<std::string>& model_id, std::size_t minimum) const;

 private:
  struct Cell {
    std::uint32_t model = 0, industry = 0, size_band = 0, region = 0;
    std::size_t begin = 0, end = 0;  // rows of the cell, by date
  };
  // A score column: the distinct values ascending; row symbols are ranks
  // into it, and values.size() marks a row without a value.
  struct Column {
    std::vector<double> values;
    WaveletMatrix ranks;
  };
  struct Dictionary {
    std::vector<std::string> keys;  // lower-case, index = id
    std::optional<std::uint32_t> find(std::string_view text) const;
    std::uint32_t add(std::string_view text);
  };

  std::vector<PositionRange> ranges(const PeerFilter& filter) const;
  Standing standing(const Column& column, const std::vector<PositionRange>& ranges,
                    std::optional<double> score) const;

  std::vector<std::string> competency_ids_;
  Dictionary models_, industries_, size_bands_, regions_;
  std::vector<Cell> cells_;
  // The first spelling seen of each dictionary key, for choices().
  std::vector<std::string> industry_names_, size_band_names_, region_names_;
  std::vector<Day> dates_;  // in index order
  Column overall_;
  std::vector<Column> competencies_;
  WaveletMatrix stages_;  // stage - 1
  int max_stage_ = 1;
};

}  // namespace cxm::core
