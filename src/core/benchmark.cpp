#include "core/benchmark.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

#include "core/calendar.h"

namespace cxm::core {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
Day days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Day>(era * 146097 + static_cast<int>(doe) - 719468);
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool matches(const std::optional<std::string>& filter, const std::string& value) {
  return !filter || lower(*filter) == lower(value);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The UTF-8 dashes and spaces a typed size band may hold: the length of the
// one at `at` and whether it is a dash; 0 when there is none.
std::pair<std::size_t, bool> dash_or_space(std::string_view t, std::size_t at) {
  static constexpr std::pair<std::string_view, bool> kMarks[] = {
      {"\u2010", true},  {"\u2011", true},  {"\u2012", true},  {"\u2013", true},
      {"\u2014", true},  {"\u2212", true},  {"\u00a0", false}, {"\u2009", false},
      {"\u202f", false}, {"\u2002", false}, {"\u2003", false}};
  for (const auto& [mark, dash] : kMarks) {
    if (t.substr(at, mark.size()) == mark) return {mark.size(), dash};
  }
  return {0, false};
}

std::optional<std::string> canonical_band(const std::optional<std::string>& band) {
  if (!band) return std::nullopt;
  return canonical_size_band(*band);
}

// The sort position of a size band: kSizeBands' order, then others.
std::size_t band_rank(std::string_view band) {
  const auto it = std::find(kSizeBands.begin(), kSizeBands.end(), band);
  return static_cast<std::size_t>(it - kSizeBands.begin());
}

// Values held by at least `minimum` assessments, in their display order.
std::vector<std::string> frequent(
    const std::map<std::string, std::pair<std::string, std::size_t>>& counts, std::size_t minimum,
    bool bands) {
  std::vector<std::string> out;
  for (const auto& [key, entry] : counts) {
    if (!key.empty() && entry.second >= minimum) out.push_back(entry.first);
  }
  std::sort(out.begin(), out.end(), [&](const std::string& a, const std::string& b) {
    if (bands && band_rank(a) != band_rank(b)) return band_rank(a) < band_rank(b);
    return lower(a) < lower(b);
  });
  return out;
}

Standing too_few(std::optional<double> score, std::size_t n) {
  Standing s;
  s.score = score;
  s.n = n;
  s.missing = n < kMinimumPeers ? kMinimumPeers - n : 0;
  return s;
}

// The standing of `score` among `values` (any order).
Standing standing_among(std::vector<double> values, std::optional<double> score) {
  Standing s = too_few(score, values.size());
  if (s.missing > 0) return s;
  std::sort(values.begin(), values.end());
  s.median = sorted_quantile(values, 0.5);
  s.q1 = sorted_quantile(values, 0.25);
  s.q3 = sorted_quantile(values, 0.75);
  if (score) {
    const auto lo = std::lower_bound(values.begin(), values.end(), *score);
    const auto hi = std::upper_bound(lo, values.end(), *score);
    s.percentile = percentile_rank(static_cast<std::size_t>(lo - values.begin()),
                                   static_cast<std::size_t>(hi - lo), values.size());
  }
  return s;
}

}  // namespace

std::optional<Day> parse_iso_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
  }
  auto number = [&](std::size_t at, std::size_t len) {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  const int y = number(0, 4);
  const int m = number(5, 2);
  const int d = number(8, 2);
  if (y < 1900 || m < 1 || m > 12 || d < 1) return std::nullopt;
  if (d > days_in_month(y, m)) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string format_iso_date(Day day) {
  const int z = day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int y = static_cast<int>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  char out[40];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", y, m, d);
  return out;
}

std::string canonical_size_band(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (is_digit(c) || c == '+' || c == '-') {
      out += c;
      ++i;
    } else if (c == ' ' || c == '\t') {
      ++i;
    } else if ((c == ',' || c == '.' || c == '\'') && i > 0 && is_digit(text[i - 1]) &&
               i + 1 < text.size() && is_digit(text[i + 1])) {
      ++i;  // a thousands separator
    } else if (const auto [length, dash] = dash_or_space(text, i); length > 0) {
      if (dash) out += '-';
      i += length;
    } else {
      return std::string(text);  // not a band of numbers
    }
  }
  if (std::none_of(out.begin(), out.end(), is_digit)) return std::string(text);
  return out;
}

bool is_size_band(std::string_view text) {
  return std::find(kSizeBands.begin(), kSizeBands.end(), text) != kSizeBands.end();
}

FilterChoices filter_choices(const PeerTable& table, const std::optional<std::string>& model_id,
                             std::size_t minimum) {
  std::map<std::string, std::pair<std::string, std::size_t>> industries, bands, regions;
  auto count = [](auto& counts, const std::string& value) {
    auto& entry = counts.try_emplace(lower(value), value, 0).first->second;
    ++entry.second;
  };
  for (const auto& row : table.rows) {
    if (!matches(model_id, row.model_id)) continue;
    count(industries, row.industry);
    count(bands, canonical_size_band(row.size_band));
    count(regions, row.region);
  }
  return {frequent(industries, minimum, false), frequent(bands, minimum, true),
          frequent(regions, minimum, false)};
}

double percentile_rank(std::size_t below, std::size_t equal, std::size_t n) {
  return 100.0 * (static_cast<double>(below) + 0.5 * static_cast<double>(equal)) /
         static_cast<double>(n);
}

std::optional<double> sorted_quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return std::nullopt;
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double fraction = h - static_cast<double>(lo);
  if (lo + 1 >= sorted.size() || fraction == 0) return sorted[lo];
  return sorted[lo] + fraction * (sorted[lo + 1] - sorted[lo]);
}

BenchmarkResult compare_with_peers(const PeerTable& table, const PeerFilter& filter,
                                   const OwnScores& own) {
  const auto band = canonical_band(filter.size_band);
  std::vector<const PeerAssessment*> cut;
  for (const auto& row : table.rows) {
    if (!matches(filter.model_id, row.model_id) || !matches(filter.industry, row.industry) ||
        !matches(band, canonical_size_band(row.size_band)) || !matches(filter.region, row.region)) {
      continue;
    }
    if ((filter.since && row.assessed_on < *filter.since) ||
        (filter.until && row.assessed_on > *filter.until)) {
      continue;
    }
    cut.push_back(&row);
  }
  BenchmarkResult result;
  result.peers = cut.size();
  result.missing = cut.size() < kMinimumPeers ? kMinimumPeers - cut.size() : 0;
  std::vector<double> values;
  for (const auto* row : cut) values.push_back(row->overall);
  result.overall = standing_among(values, own.overall);
  for (const auto& [id, score] : own.competencies) {
    const auto column = std::find(table.competency_ids.begin(), table.competency_ids.end(), id);
    if (column == table.competency_ids.end()) {
      Standing s = too_few(score, 0);
      s.in_dataset = false;
      result.competencies.push_back({id, s});
      continue;
    }
    const auto c = static_cast<std::size_t>(column - table.competency_ids.begin());
    values.clear();
    for (const auto* row : cut) {
      if (row->competencies[c]) values.push_back(*row->competencies[c]);
    }
    result.competencies.push_back({id, standing_among(values, score)});
  }
  if (result.missing == 0) {
    int max_stage = 1;
    for (const auto& row : table.rows) max_stage = std::max(max_stage, row.stage);
    result.stage_counts.assign(static_cast<std::size_t>(max_stage), 0);
    for (const auto* row : cut) ++result.stage_counts[static_cast<std::size_t>(row->stage - 1)];
  }
  return result;
}

std::optional<std::uint32_t> PeerIndex::Dictionary::find(std::string_view text) const {
  const auto it = std::find(keys.begin(), keys.end(), lower(text));
  if (it == keys.end()) return std::nullopt;
  return static_cast<std::uint32_t>(it - keys.begin());
}

std::uint32_t PeerIndex::Dictionary::add(std::string_view text) {
  if (auto id = find(text)) return *id;
  keys.push_back(lower(text));
  return static_cast<std::uint32_t>(keys.size() - 1);
}

PeerIndex::PeerIndex(const PeerTable& table) : competency_ids_(table.competency_ids) {
  const std::size_t n = table.rows.size();
  struct Key {
    std::uint32_t model, industry, size_band, region;
    Day day;
    std::size_t row;
  };
  std::vector<Key> keys;
  keys.reserve(n);
  for (std::size_t r = 0; r < n; ++r) {
    const auto& row = table.rows[r];
    const std::string band = canonical_size_band(row.size_band);
    auto named = [](Dictionary& dictionary, std::vector<std::string>& names,
                    const std::string& value) {
      const auto id = dictionary.add(value);
      if (id == names.size()) names.push_back(value);
      return id;
    };
    keys.push_back({models_.add(row.model_id), named(industries_, industry_names_, row.industry),
                    named(size_bands_, size_band_names_, band),
                    named(regions_, region_names_, row.region), row.assessed_on, r});
    max_stage_ = std::max(max_stage_, row.stage);
  }
  auto cell_of = [](const Key& k) { return std::tie(k.model, k.industry, k.size_band, k.region); };
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    return std::tie(a.model, a.industry, a.size_band, a.region, a.day, a.row) <
           std::tie(b.model, b.industry, b.size_band, b.region, b.day, b.row);
  });
  dates_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (cells_.empty() || cell_of(keys[cells_.back().begin]) != cell_of(keys[i])) {
      if (!cells_.empty()) cells_.back().end = i;
      cells_.push_back({keys[i].model, keys[i].industry, keys[i].size_band, keys[i].region, i, n});
    }
    dates_.push_back(keys[i].day);
  }

  // One column: distinct values, then each row's rank in index order.
  auto build = [&](auto value_of) {
    Column column;
    for (const auto& k : keys) {
      if (auto v = value_of(table.rows[k.row])) column.values.push_back(*v);
    }
    std::sort(column.values.begin(), column.values.end());
    column.values.erase(std::unique(column.values.begin(), column.values.end()),
                        column.values.end());
    const auto missing = static_cast<std::uint32_t>(column.values.size());
    std::vector<std::uint32_t> symbols;
    symbols.reserve(n);
    for (const auto& k : keys) {
      const auto v = value_of(table.rows[k.row]);
      symbols.push_back(v ? static_cast<std::uint32_t>(
                                std::lower_bound(column.values.begin(), column.values.end(), *v) -
                                column.values.begin())
                          : missing);
    }
    column.ranks = WaveletMatrix(symbols, missing + 1);
    return column;
  };
  overall_ = build([](const PeerAssessment& a) { return std::optional<double>(a.overall); });
  for (std::size_t c = 0; c < competency_ids_.size(); ++c) {
    competencies_.push_back(build([c](const PeerAssessment& a) { return a.competencies[c]; }));
  }
  std::vector<std::uint32_t> stages;
  stages.reserve(n);
  for (const auto& k : keys)
    stages.push_back(static_cast<std::uint32_t>(table.rows[k.row].stage - 1));
  stages_ = WaveletMatrix(stages, static_cast<std::uint32_t>(max_stage_));
}

std::vector<PositionRange> PeerIndex::ranges(const PeerFilter& filter) const {
  std::vector<PositionRange> out;
  // A filter naming a value the dataset never has selects nothing.
  auto wanted = [](const Dictionary& dictionary, const std::optional<std::string>& text,
                   std::optional<std::uint32_t>& id) {
    if (!text) return true;
    id = dictionary.find(*text);
    return id.has_value();
  };
  std::optional<std::uint32_t> model, industry, size_band, region;
  if (!wanted(models_, filter.model_id, model) || !wanted(industries_, filter.industry, industry) ||
      !wanted(size_bands_, canonical_band(filter.size_band), size_band) ||
      !wanted(regions_, filter.region, region)) {
    return out;
  }
  for (const Cell& cell : cells_) {
    if ((model && cell.model != *model) || (industry && cell.industry != *industry) ||
        (size_band && cell.size_band != *size_band) || (region && cell.region != *region)) {
      continue;
    }
    const auto first = dates_.begin() + static_cast<std::ptrdiff_t>(cell.begin);
    const auto last = dates_.begin() + static_cast<std::ptrdiff_t>(cell.end);
    const auto from = filter.since ? std::lower_bound(first, last, *filter.since) : first;
    const auto to = filter.until ? std::upper_bound(from, last, *filter.until) : last;
    const auto begin = static_cast<std::size_t>(from - dates_.begin());
    const auto end = static_cast<std::size_t>(to - dates_.begin());
    if (begin == end) continue;
    // Neighbouring cells that the cut takes whole are one range.
    if (!out.empty() && out.back().end == begin) {
      out.back().end = end;
    } else {
      out.push_back({begin, end});
    }
  }
  return out;
}

Standing PeerIndex::standing(const Column& column, const std::vector<PositionRange>& cut,
                             std::optional<double> score) const {
  const auto missing_symbol = static_cast<std::uint32_t>(column.values.size());
  Standing s = too_few(score, column.ranks.count_below(cut, missing_symbol));
  if (s.missing > 0) return s;
  auto value_at = [&](std::size_t k) { return column.values[column.ranks.kth_smallest(cut, k)]; };
  auto quantile = [&](double p) {
    const double h = static_cast<double>(s.n - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const double fraction = h - static_cast<double>(lo);
    const double low = value_at(lo);
    if (lo + 1 >= s.n || fraction == 0) return low;
    return low + fraction * (value_at(lo + 1) - low);
  };
  s.median = quantile(0.5);
  s.q1 = quantile(0.25);
  s.q3 = quantile(0.75);
  if (score) {
    const auto rank = static_cast<std::uint32_t>(
        std::lower_bound(column.values.begin(), column.values.end(), *score) -
        column.values.begin());
    const std::size_t below = column.ranks.count_below(cut, rank);
    const bool present = rank < missing_symbol && column.values[rank] == *score;
    const std::size_t equal = present ? column.ranks.count_below(cut, rank + 1) - below : 0;
    s.percentile = percentile_rank(below, equal, s.n);
  }
  return s;
}

FilterChoices PeerIndex::choices(const std::optional<std::string>& model_id,
                                 std::size_t minimum) const {
  std::optional<std::uint32_t> model;
  if (model_id) {
    model = models_.find(*model_id);
    if (!model) return {};
  }
  std::vector<std::size_t> industries(industry_names_.size()), bands(size_band_names_.size()),
      regions(region_names_.size());
  for (const auto& cell : cells_) {
    if (model && cell.model != *model) continue;
    industries[cell.industry] += cell.end - cell.begin;
    bands[cell.size_band] += cell.end - cell.begin;
    regions[cell.region] += cell.end - cell.begin;
  }
  auto kept = [&](const std::vector<std::string>& names, const std::vector<std::size_t>& counts,
                  bool is_band) {
    std::map<std::string, std::pair<std::string, std::size_t>> entries;
    for (std::size_t i = 0; i < names.size(); ++i) entries[lower(names[i])] = {names[i], counts[i]};
    return frequent(entries, minimum, is_band);
  };
  return {kept(industry_names_, industries, false), kept(size_band_names_, bands, true),
          kept(region_names_, regions, false)};
}

BenchmarkResult PeerIndex::compare(const PeerFilter& filter, const OwnScores& own) const {
  const auto cut = ranges(filter);
  BenchmarkResult result;
  for (const auto& r : cut) result.peers += r.end - r.begin;
  result.missing = result.peers < kMinimumPeers ? kMinimumPeers - result.peers : 0;
  result.overall = standing(overall_, cut, own.overall);
  for (const auto& [id, score] : own.competencies) {
    const auto column = std::find(competency_ids_.begin(), competency_ids_.end(), id);
    if (column == competency_ids_.end()) {
      Standing s = too_few(score, 0);
      s.in_dataset = false;
      result.competencies.push_back({id, s});
      continue;
    }
    result.competencies.push_back(
        {id, standing(competencies_[static_cast<std::size_t>(column - competency_ids_.begin())],
                      cut, score)});
  }
  if (result.missing == 0) {
    result.stage_counts.assign(static_cast<std::size_t>(max_stage_), 0);
    std::size_t below = 0;
    for (int s = 1; s <= max_stage_; ++s) {
      const std::size_t upto = stages_.count_below(cut, static_cast<std::uint32_t>(s));
      result.stage_counts[static_cast<std::size_t>(s - 1)] = upto - below;
      below = upto;
    }
  }
  return result;
}

std::vector<std::size_t> independent_peers(const std::vector<PoolCandidate>& candidates,
                                           const std::vector<std::string>& asking) {
  const std::set<std::string> askers(asking.begin(), asking.end());
  auto large_enough = [](const PoolCandidate& c) {
    return c.answered_themselves >= std::max<std::size_t>(c.min_group_size, 3);
  };
  // Union-find over the candidates, joined by every member they share.
  std::vector<std::size_t> parent(candidates.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  auto root = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::map<std::string, std::size_t> first_with_member;
  std::vector<bool> excluded(candidates.size(), false);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    for (const auto& member : candidates[i].members) {
      if (askers.contains(member)) excluded[i] = true;
      const auto [it, first] = first_with_member.emplace(member, i);
      if (!first) parent[root(i)] = root(it->second);
    }
  }
  // A group linked to the asker by any member is the asker's: none of it counts.
  std::set<std::size_t> asker_groups;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (excluded[i]) asker_groups.insert(root(i));
  }
  std::map<std::size_t, std::size_t> best;  // group root -> chosen candidate
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::size_t group = root(i);
    if (asker_groups.contains(group) || !large_enough(candidates[i])) continue;
    const auto [it, first] = best.emplace(group, i);
    if (first) continue;
    const PoolCandidate& chosen = candidates[it->second];
    const PoolCandidate& c = candidates[i];
    if (std::tie(c.answered_themselves, c.assessed_on) >
        std::tie(chosen.answered_themselves, chosen.assessed_on)) {
      it->second = i;
    }
  }
  std::vector<std::size_t> kept;
  for (const auto& [group, i] : best) kept.push_back(i);
  std::sort(kept.begin(), kept.end());
  return kept;
}

}  // namespace cxm::core
