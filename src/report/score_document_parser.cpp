#include "report/score_document_parser.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "report/score_document.h"

namespace cxm::report {
namespace {

using nlohmann::json;
using Doc = ScoreDocument;

constexpr long long kMost = std::numeric_limits<long long>::max();
constexpr long long kMostInt = std::numeric_limits<int>::max();

std::string member(const std::string& path, const char* key) {
  return path.empty() ? key : path + "." + key;
}

std::string element(const std::string& path, std::size_t k) {
  return path + "[" + std::to_string(k) + "]";
}

std::optional<long long> whole(const json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(kMost)) return std::nullopt;
    return static_cast<long long>(u);
  }
  if (v.is_number_integer()) return v.get<long long>();
  return std::nullopt;
}

std::string range_text(long long lo, long long hi) {
  if (hi == kMost || hi == kMostInt) return "a whole number of " + std::to_string(lo) + " or more";
  return "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
}

template <typename Enum, std::size_t N>
bool enum_named(const std::string& name, const Enum (&values)[N], Enum& out) {
  for (Enum v : values) {
    if (name == core::to_string(v)) {
      out = v;
      return true;
    }
  }
  return false;
}

// Reads fields of JSON objects. The first problem is kept with its field
// path; after it, reads leave their defaults and lists stop.
class Reader {
 public:
  bool ok() const { return error_.empty(); }
  std::string take_error() { return std::move(error_); }
  void fail(const std::string& where, const std::string& what) {
    if (ok()) error_ = where + ": " + what;
  }

  // `key` of `object`; null when absent, a problem when `required`.
  const json* find(const json& object, const std::string& path, const char* key, bool required) {
    const auto it = object.find(key);
    if (it != object.end()) return &*it;
    if (required) fail(member(path, key), "required");
    return nullptr;
  }
  bool is_object(const json& v, const std::string& where) {
    if (!v.is_object()) fail(where, "must be an object");
    return ok() && v.is_object();
  }
  // A list at `key`; absent or null is no list when not `required`.
  const json* list(const json& object, const std::string& path, const char* key,
                   bool required = true) {
    const json* v = find(object, path, key, required);
    if (!v || (!required && v->is_null())) return nullptr;
    if (!v->is_array()) fail(member(path, key), "must be a list");
    return ok() ? v : nullptr;
  }
  // An object at `key` that may be null (or absent, when not `required`).
  const json* nullable_object(const json& object, const std::string& path, const char* key,
                              bool required = true) {
    const json* v = find(object, path, key, required);
    if (!v || v->is_null()) return nullptr;
    if (!v->is_object()) fail(member(path, key), "must be an object or null");
    return ok() ? v : nullptr;
  }

  void text_value(const json& v, const std::string& where, std::string& out) {
    if (!v.is_string()) return fail(where, "must be a string");
    if (ok()) out = v.get<std::string>();
  }
  void text(const json& object, const std::string& path, const char* key, std::string& out) {
    if (const json* v = find(object, path, key, true)) text_value(*v, member(path, key), out);
  }
  // Absent or null reads as empty.
  void optional_text(const json& object, const std::string& path, const char* key,
                     std::string& out) {
    const json* v = find(object, path, key, false);
    if (!v || v->is_null()) return;
    if (!v->is_string()) return fail(member(path, key), "must be a string or null");
    if (ok()) out = v->get<std::string>();
  }
  void flag(const json& object, const std::string& path, const char* key, bool& out) {
    const json* v = find(object, path, key, true);
    if (!v) return;
    if (!v->is_boolean()) return fail(member(path, key), "must be true or false");
    if (ok()) out = v->get<bool>();
  }
  // Absent reads as false (documents written before the field).
  void optional_flag(const json& object, const std::string& path, const char* key, bool& out) {
    const json* v = find(object, path, key, false);
    if (!v) return;
    if (!v->is_boolean()) return fail(member(path, key), "must be true or false");
    if (ok()) out = v->get<bool>();
  }
  void whole_value(const json& v, const std::string& where, long long lo, long long hi,
                   long long& out) {
    const auto n = whole(v);
    if (!n || *n < lo || *n > hi) return fail(where, "must be " + range_text(lo, hi));
    if (ok()) out = *n;
  }
  void count(const json& object, const std::string& path, const char* key, long long& out) {
    if (const json* v = find(object, path, key, true)) {
      whole_value(*v, member(path, key), 0, kMost, out);
    }
  }
  // A whole number in lo..hi, or null.
  void optional_whole(const json& object, const std::string& path, const char* key, bool required,
                      long long lo, long long hi, std::optional<long long>& out) {
    const json* v = find(object, path, key, required);
    if (!v || v->is_null()) return;
    const auto n = whole(*v);
    if (!n || *n < lo || *n > hi) {
      return fail(member(path, key), "must be " + range_text(lo, hi) + " or null");
    }
    if (ok()) out = *n;
  }
  void number(const json& object, const std::string& path, const char* key, double& out) {
    const json* v = find(object, path, key, true);
    if (!v) return;
    if (!v->is_number()) return fail(member(path, key), "must be a number");
    if (ok()) out = v->get<double>();
  }
  void optional_number(const json& object, const std::string& path, const char* key,
                       std::optional<double>& out) {
    const json* v = find(object, path, key, true);
    if (!v || v->is_null()) return;
    if (!v->is_number()) return fail(member(path, key), "must be a number or null");
    if (ok()) out = v->get<double>();
  }
  // A score on 0..100.
  void score(const json& object, const std::string& path, const char* key, double& out) {
    const json* v = find(object, path, key, true);
    if (!v) return;
    if (!v->is_number() || v->get<double>() < 0 || v->get<double>() > 100) {
      return fail(member(path, key), "must be 0..100");
    }
    if (ok()) out = v->get<double>();
  }
  void optional_score(const json& object, const std::string& path, const char* key,
                      std::optional<double>& out) {
    const json* v = find(object, path, key, true);
    if (!v || v->is_null()) return;
    if (!v->is_number() || v->get<double>() < 0 || v->get<double>() > 100) {
      return fail(member(path, key), "must be 0..100 or null");
    }
    if (ok()) out = v->get<double>();
  }
  // A stage of a ladder of `steps` stages (a pulse has none: `steps` 0).
  void stage(const json& v, const std::string& where, int steps, int& out) {
    if (steps == 0) return fail(where, "must be null: a pulse document claims no stage");
    long long n = 0;
    whole_value(v, where, 1, steps, n);
    if (ok()) out = static_cast<int>(n);
  }
  void texts(const json& object, const std::string& path, const char* key, bool required,
             std::vector<std::string>& out) {
    const json* l = list(object, path, key, required);
    for (std::size_t k = 0; l && k < l->size() && ok(); ++k) {
      text_value((*l)[k], element(member(path, key), k), out.emplace_back());
    }
  }

 private:
  std::string error_;
};

// Each element of the list at `key` (objects), read by `read_one(value, path)`.
template <typename T, typename ReadOne>
std::vector<T> objects(Reader& r, const json& object, const std::string& path, const char* key,
                       bool required, ReadOne read_one) {
  std::vector<T> out;
  const json* l = r.list(object, path, key, required);
  for (std::size_t k = 0; l && k < l->size() && r.ok(); ++k) {
    const std::string where = element(member(path, key), k);
    if (r.is_object((*l)[k], where)) out.push_back(read_one((*l)[k], where));
  }
  return out;
}

// What the whole document states first: form, model, scale, counts.
void read_header(Reader& r, const json& d, Doc& doc) {
  if (const json* form = r.find(d, "", "form", false)) {
    std::string name;
    r.text_value(*form, "form", name);
    if (r.ok() && !enum_named(name, {core::Form::full, core::Form::pulse}, doc.form)) {
      r.fail("form", "must be full or pulse");
    }
  }
  if (const json* model = r.find(d, "", "model", true); model && r.is_object(*model, "model")) {
    r.text(*model, "model", "id", doc.model.id);
    r.text(*model, "model", "version", doc.model.version);
    r.text(*model, "model", "title", doc.model.title);
  }
  if (const json* scale = r.find(d, "", "scale", true); scale && r.is_object(*scale, "scale")) {
    long long min = 0, max = 0;
    if (const json* v = r.find(*scale, "scale", "min", true)) {
      r.whole_value(*v, "scale.min", -kMostInt, kMostInt, min);
    }
    if (const json* v = r.find(*scale, "scale", "max", true)) {
      r.whole_value(*v, "scale.max", min, kMostInt, max);
    }
    doc.scale.min = static_cast<int>(min);
    doc.scale.max = static_cast<int>(max);
    r.texts(*scale, "scale", "labels", true, doc.scale.labels);
    if (r.ok() && doc.scale.labels.empty()) r.fail("scale.labels", "must name at least one point");
  }
  if (const json* v = r.find(d, "", "threshold", true); v && r.ok()) {
    if (!v->is_number() || v->get<double>() < 0 || v->get<double>() > 100) {
      r.fail("threshold", "must be 0..100");
    }
    if (r.ok()) doc.threshold = v->get<double>();
  }
  r.count(d, "", "respondents", doc.respondents);
  r.optional_whole(d, "", "imported", false, 0, kMost, doc.imported);
  r.count(d, "", "answering", doc.answering);
  r.count(d, "", "min_group_size", doc.min_group_size);
  r.optional_whole(d, "", "answers_to_count", false, 0, kMost, doc.answers_to_count);
  r.optional_score(d, "", "overall_score", doc.overall_score);
}

void read_ladder(Reader& r, const json& d, Doc& doc) {
  doc.stages =
      objects<Doc::LadderStep>(r, d, "", "stages", true, [&](const json& s, const std::string& at) {
        Doc::LadderStep step;
        long long number = 0;
        if (const json* v = r.find(s, at, "number", true)) {
          r.whole_value(*v, at + ".number", 1, kMostInt, number);
        }
        step.number = static_cast<int>(number);
        r.text(s, at, "name", step.name);
        r.optional_score(s, at, "score", step.score);
        r.flag(s, at, "attained", step.attained);
        r.optional_flag(s, at, "indicative", step.indicative);
        std::optional<long long> counted, statements;
        r.optional_whole(s, at, "statements", false, 0, kMost, statements);
        r.optional_whole(s, at, "counted", false, 0, statements.value_or(kMost), counted);
        step.counted = counted.value_or(0);
        step.statements = statements.value_or(0);
        return step;
      });
  for (std::size_t k = 0; k < doc.stages.size() && r.ok(); ++k) {
    if (doc.stages[k].number != static_cast<int>(k) + 1) {
      r.fail(element("stages", k) + ".number",
             "must be " + std::to_string(k + 1) + ": the ladder lists stages 1, 2, ... in order");
    }
  }
  if (r.ok() && doc.form == core::Form::pulse && !doc.stages.empty()) {
    r.fail("stages", "must be empty: a pulse document claims no stage");
  }
}

Doc::Action read_action(Reader& r, const json& a, const std::string& at) {
  Doc::Action action;
  r.text(a, at, "title", action.title);
  r.text(a, at, "detail", action.detail);
  r.optional_text(a, at, "owner", action.owner);
  r.optional_text(a, at, "success_measure", action.success_measure);
  r.texts(a, at, "items", false, action.items);
  return action;
}

// The stage reached, present exactly in a full document.
void read_stage(Reader& r, const json& d, int steps, Doc& doc) {
  const json* v = r.find(d, "", "stage", true);
  if (!v || !r.ok()) return;
  if (doc.form == core::Form::pulse) {
    if (!v->is_null()) r.fail("stage", "must be null: a pulse document claims no stage");
    return;
  }
  if (!r.is_object(*v, "stage")) return;
  Doc::Stage stage;
  if (const json* number = r.find(*v, "stage", "number", true)) {
    r.stage(*number, "stage.number", steps, stage.number);
  }
  r.text(*v, "stage", "name", stage.name);
  r.text(*v, "stage", "description", stage.description);
  r.text(*v, "stage", "obstacle", stage.obstacle);
  r.optional_flag(*v, "stage", "indicative", stage.indicative);
  stage.obstacle_actions = objects<Doc::Action>(
      r, *v, "stage", "obstacle_actions", false,
      [&](const json& a, const std::string& at) { return read_action(r, a, at); });
  doc.stage = std::move(stage);
}

void read_rollup(Reader& r, const json& d, int steps, Doc& doc) {
  const json* v = r.nullable_object(d, "", "stage_rollup", false);
  if (!v) return;
  Doc::StageRollup rollup;
  std::string rule;
  r.text(*v, "stage_rollup", "rule", rule);
  if (r.ok() &&
      !enum_named(rule,
                  {core::StageRollupRule::pooled_answers, core::StageRollupRule::weakest_unit},
                  rollup.rule)) {
    r.fail("stage_rollup.rule", "must be pooled_answers or weakest_unit");
  }
  if (const json* pooled = r.find(*v, "stage_rollup", "pooled_stage", true)) {
    r.stage(*pooled, "stage_rollup.pooled_stage", steps, rollup.pooled_stage);
  }
  std::string unit;
  r.optional_text(*v, "stage_rollup", "unit", unit);
  if (!unit.empty()) rollup.unit = unit;
  r.count(*v, "stage_rollup", "units_shown", rollup.units_shown);
  r.text(*v, "stage_rollup", "statement", rollup.statement);
  r.optional_text(*v, "stage_rollup", "applied", rollup.applied);
  r.optional_text(*v, "stage_rollup", "group", rollup.group);
  doc.stage_rollup = std::move(rollup);
}

// The stage verdict: ladder, stage, next stage and its gaps, roll-up; or a pulse's note.
void read_verdict(Reader& r, const json& d, Doc& doc) {
  read_ladder(r, d, doc);
  const int steps = static_cast<int>(doc.stages.size());
  read_stage(r, d, steps, doc);
  if (const json* next = r.nullable_object(d, "", "next_stage", true)) {
    Doc::NextStage stage;
    if (const json* number = r.find(*next, "next_stage", "number", true)) {
      r.stage(*number, "next_stage.number", steps, stage.number);
    }
    r.text(*next, "next_stage", "name", stage.name);
    doc.next_stage = std::move(stage);
  }
  r.texts(d, "", "next_stage_gaps", true, doc.next_stage_gaps);
  read_rollup(r, d, steps, doc);
  r.optional_text(d, "", "note", doc.note);
}

Doc::Competency read_competency(Reader& r, const json& c, const std::string& at, int steps) {
  Doc::Competency competency;
  r.text(c, at, "id", competency.id);
  r.text(c, at, "name", competency.name);
  r.optional_score(c, at, "score", competency.score);
  if (const json* stage = r.find(c, at, "stage", true); stage && (steps > 0 || !stage->is_null())) {
    competency.stage.emplace();
    r.stage(*stage, at + ".stage", steps, *competency.stage);
  }
  r.optional_text(c, at, "stage_name", competency.stage_name);
  r.optional_flag(c, at, "indicative", competency.indicative);
  r.optional_number(c, at, "rwg_j", competency.rwg_j);
  r.count(c, at, "rwg_j_n", competency.rwg_j_n);
  r.optional_number(c, at, "alpha", competency.alpha);
  r.count(c, at, "alpha_n", competency.alpha_n);
  r.texts(c, at, "notes", false, competency.notes);
  std::optional<long long> target;
  r.optional_whole(c, at, "target_stage", false, 1, kMostInt, target);
  if (target) competency.target_stage = static_cast<int>(*target);
  return competency;
}

Doc::Statement read_statement(Reader& r, const json& i, const std::string& at) {
  Doc::Statement s;
  r.text(i, at, "id", s.id);
  r.text(i, at, "competency", s.competency);
  long long stage = 1;
  if (const json* v = r.find(i, at, "stage", true)) {
    r.whole_value(*v, at + ".stage", 1, kMostInt, stage);
  }
  s.stage = static_cast<int>(stage);
  r.text(i, at, "text", s.text);
  r.optional_flag(i, at, "reverse", s.reverse);
  r.count(i, at, "n", s.n);
  r.count(i, at, "missing", s.missing);
  r.optional_number(i, at, "mean", s.mean);
  r.optional_number(i, at, "median", s.median);
  r.optional_number(i, at, "sd", s.sd);
  r.optional_score(i, at, "score", s.score);
  r.optional_number(i, at, "rwg", s.rwg);
  std::string agreement;
  r.optional_text(i, at, "class", agreement);
  if (!agreement.empty()) {
    s.agreement.emplace();
    const core::AgreementClass classes[] = {core::AgreementClass::agreement,
                                            core::AgreementClass::mixed,
                                            core::AgreementClass::disagreement};
    if (!enum_named(agreement, classes, *s.agreement)) {
      r.fail(at + ".class", "must be agreement, mixed, disagreement or null");
    }
    if (!s.rwg) r.fail(at + ".rwg", "must be a number when class is given");
  }
  r.flag(i, at, "bimodal", s.bimodal);
  const json* histogram = r.list(i, at, "histogram");
  for (std::size_t k = 0; histogram && k < histogram->size() && r.ok(); ++k) {
    r.whole_value((*histogram)[k], element(at + ".histogram", k), 0, kMost,
                  s.histogram.emplace_back());
  }
  r.optional_text(i, at, "note", s.note);
  return s;
}

Doc::Ranking read_ranking(Reader& r, const json& d, const char* key) {
  Doc::Ranking ranking;
  const json* v = r.find(d, "", key, true);
  if (!v || !r.is_object(*v, key)) return ranking;
  ranking.competencies = objects<Doc::RankedCompetency>(r, *v, key, "competencies", true,
                                                        [&](const json& c, const std::string& at) {
                                                          Doc::RankedCompetency entry;
                                                          r.text(c, at, "id", entry.id);
                                                          r.text(c, at, "name", entry.name);
                                                          r.score(c, at, "score", entry.score);
                                                          return entry;
                                                        });
  ranking.items = objects<Doc::RankedStatement>(r, *v, key, "items", true,
                                                [&](const json& i, const std::string& at) {
                                                  Doc::RankedStatement entry;
                                                  r.text(i, at, "id", entry.id);
                                                  r.text(i, at, "text", entry.text);
                                                  r.score(i, at, "score", entry.score);
                                                  return entry;
                                                });
  return ranking;
}

// Competencies, statements, strengths and weaknesses.
void read_results(Reader& r, const json& d, Doc& doc) {
  const int steps = static_cast<int>(doc.stages.size());
  doc.competencies = objects<Doc::Competency>(
      r, d, "", "competencies", true,
      [&](const json& c, const std::string& at) { return read_competency(r, c, at, steps); });
  doc.items = objects<Doc::Statement>(
      r, d, "", "items", true,
      [&](const json& i, const std::string& at) { return read_statement(r, i, at); });
  doc.strengths = read_ranking(r, d, "strengths");
  doc.weaknesses = read_ranking(r, d, "weaknesses");
}

// What a shown segment states: its score, its stage (full documents), its competencies.
void read_shown_segment(Reader& r, const json& s, const std::string& at, int steps,
                        Doc::Segment& segment) {
  r.optional_score(s, at, "overall_score", segment.overall_score);
  if (const json* stage = r.find(s, at, "stage", steps > 0);
      stage && (steps > 0 || !stage->is_null())) {
    segment.stage.emplace();
    r.stage(*stage, at + ".stage", steps, *segment.stage);
  }
  r.optional_text(s, at, "stage_name", segment.stage_name);
  segment.competencies = objects<Doc::SegmentScore>(
      r, s, at, "competencies", false, [&](const json& c, const std::string& where) {
        Doc::SegmentScore score;
        r.text(c, where, "id", score.id);
        r.optional_score(c, where, "score", score.score);
        return score;
      });
}

Doc::Segment read_segment(Reader& r, const json& s, const std::string& at, int steps) {
  Doc::Segment segment;
  r.text(s, at, "value", segment.value);
  r.text(s, at, "name", segment.name);
  r.optional_whole(s, at, "respondents", true, 0, kMost, segment.respondents);
  r.optional_whole(s, at, "fewer_than", false, 0, kMost, segment.fewer_than);
  r.optional_whole(s, at, "imported", false, 0, kMost, segment.imported);
  if (r.ok() && !segment.respondents && !segment.fewer_than) {
    r.fail(at + ".fewer_than", "required when respondents is null");
  }
  r.flag(s, at, "suppressed", segment.suppressed);
  r.optional_text(s, at, "reason", segment.reason);
  if (!segment.suppressed) read_shown_segment(r, s, at, steps, segment);
  return segment;
}

Doc::Difference read_difference(Reader& r, const json& v, const std::string& at) {
  Doc::Difference d;
  r.optional_number(v, at, "mean_a", d.mean_a);
  r.optional_number(v, at, "mean_b", d.mean_b);
  r.count(v, at, "n_a", d.n_a);
  r.count(v, at, "n_b", d.n_b);
  r.optional_number(v, at, "difference", d.difference);
  r.optional_number(v, at, "ci_low", d.ci_low);
  r.optional_number(v, at, "ci_high", d.ci_high);
  r.optional_number(v, at, "cohens_d", d.cohens_d);
  return d;
}

Doc::Gap read_gap(Reader& r, const json& g, const std::string& at) {
  Doc::Gap gap;
  std::string kind;
  r.text(g, at, "segment", kind);
  if (r.ok() &&
      !enum_named(kind, {core::SegmentKind::role, core::SegmentKind::unit}, gap.segment)) {
    r.fail(at + ".segment", "must be role or unit");
  }
  r.text(g, at, "a", gap.a);
  r.text(g, at, "b", gap.b);
  if (const json* overall = r.find(g, at, "overall", true);
      overall && r.is_object(*overall, at + ".overall")) {
    gap.overall = read_difference(r, *overall, at + ".overall");
  }
  gap.competencies = objects<Doc::CompetencyDifference>(
      r, g, at, "competencies", true, [&](const json& c, const std::string& where) {
        Doc::CompetencyDifference entry;
        r.text(c, where, "id", entry.id);
        entry.difference = read_difference(r, c, where);
        return entry;
      });
  return gap;
}

// Segments by role and by unit, and the perception gaps between them.
void read_groups(Reader& r, const json& d, Doc& doc) {
  const int steps = static_cast<int>(doc.stages.size());
  if (const json* segments = r.find(d, "", "segments", true);
      segments && r.is_object(*segments, "segments")) {
    auto read = [&](const json& s, const std::string& at) { return read_segment(r, s, at, steps); };
    doc.segments.role = objects<Doc::Segment>(r, *segments, "segments", "role", true, read);
    doc.segments.unit = objects<Doc::Segment>(r, *segments, "segments", "unit", true, read);
  }
  doc.gaps = objects<Doc::Gap>(r, d, "", "gaps", true, [&](const json& g, const std::string& at) {
    return read_gap(r, g, at);
  });
}

// What the server adds to a cycle's report: scope and anonymity.
void read_server_additions(Reader& r, const json& d, Doc& doc) {
  doc.out_of_scope = objects<Doc::OutOfScope>(r, d, "", "out_of_scope", false,
                                              [&](const json& x, const std::string& at) {
                                                Doc::OutOfScope entry;
                                                r.text(x, at, "id", entry.id);
                                                r.text(x, at, "text", entry.text);
                                                r.text(x, at, "reason", entry.reason);
                                                return entry;
                                              });
  if (const json* a = r.nullable_object(d, "", "anonymity", false)) {
    Doc::Anonymity anonymity;
    r.count(*a, "anonymity", "release", anonymity.release);
    r.count(*a, "anonymity", "released", anonymity.released);
    r.count(*a, "anonymity", "held_back", anonymity.held_back);
    doc.anonymity = anonymity;
  }
  doc.languages = objects<std::pair<std::string, long long>>(
      r, d, "", "languages", false, [&](const json& x, const std::string& at) {
        std::pair<std::string, long long> entry;
        r.text(x, at, "lang", entry.first);
        r.count(x, at, "respondents", entry.second);
        return entry;
      });
  r.optional_text(d, "", "languages_note", doc.languages_note);
  doc.comments = objects<Doc::Comments>(r, d, "", "comments", false,
                                        [&](const json& x, const std::string& at) {
                                          Doc::Comments entry;
                                          r.text(x, at, "competency", entry.competency);
                                          r.optional_text(x, at, "name", entry.name);
                                          r.optional_text(x, at, "question", entry.question);
                                          r.texts(x, at, "texts", true, entry.texts);
                                          if (x.contains("hidden"))
                                            r.texts(x, at, "hidden", true, entry.hidden_reasons);
                                          r.optional_text(x, at, "withheld", entry.withheld);
                                          return entry;
                                        });
}

// The silo score, when the model has silo statements.
void read_silo(Reader& r, const json& d, Doc& doc) {
  const json* v = r.nullable_object(d, "", "silo", false);
  if (!v) return;
  Doc::Silo silo;
  r.optional_score(*v, "silo", "score", silo.score);
  r.optional_whole(*v, "silo", "counted", false, 0, kMost, silo.counted);
  r.texts(*v, "silo", "statements", true, silo.statements);
  silo.units = objects<Doc::SiloUnit>(
      r, *v, "silo", "units", true, [&](const json& u, const std::string& at) {
        Doc::SiloUnit unit;
        r.text(u, at, "name", unit.name);
        r.optional_score(u, at, "score", unit.score);
        r.optional_whole(u, at, "counted", false, 0, kMost, unit.counted);
        return unit;
      });
  r.optional_score(*v, "silo", "spread", silo.spread);
  doc.silo = std::move(silo);
}

// Outside-in (server reports of a whole cycle), when the organization has
// customer metrics.
void read_outside_in(Reader& r, const json& d, Doc& doc) {
  const json* v = r.nullable_object(d, "", "outside_in", false);
  if (!v) return;
  const std::string at = "outside_in";
  Doc::OutsideIn o;
  r.text(*v, at, "caveat", o.caveat);
  if (const json* p = r.nullable_object(*v, at, "period", false)) {
    r.text(*p, at + ".period", "first", o.first_day);
    r.text(*p, at + ".period", "last", o.last_day);
    r.optional_text(*p, at + ".period", "figures_from", o.figures_from);
  }
  auto unit = [&](const json& x, const std::string& where, std::string& out) {
    r.optional_text(x, where, "unit", out);
  };
  o.metrics = objects<Doc::OutsideInMetric>(
      r, *v, at, "metrics", true, [&](const json& m, const std::string& mat) {
        Doc::OutsideInMetric metric;
        r.text(m, mat, "metric", metric.metric);
        r.text(m, mat, "name", metric.name);
        r.optional_text(m, mat, "definition", metric.definition);
        if (const json* scale = r.nullable_object(m, mat, "scale", true)) {
          r.number(*scale, mat + ".scale", "min", metric.scale_min);
          r.number(*scale, mat + ".scale", "max", metric.scale_max);
        }
        r.optional_flag(m, mat, "synthetic", metric.synthetic);
        r.optional_text(m, mat, "reason", metric.reason);
        metric.figures = objects<Doc::OutsideInFigure>(
            r, m, mat, "figures", true, [&](const json& f, const std::string& fat) {
              Doc::OutsideInFigure figure;
              unit(f, fat, figure.unit);
              r.text(f, fat, "period", figure.period);
              r.number(f, fat, "value", figure.value);
              r.number(f, fat, "normalized", figure.normalized);
              r.count(f, fat, "respondents", figure.respondents);
              r.optional_text(f, fat, "source", figure.source);
              r.optional_flag(f, fat, "synthetic", figure.synthetic);
              if (const json* c = r.nullable_object(f, fat, "change", false)) {
                r.optional_number(*c, fat + ".change", "before", figure.before);
                r.optional_number(*c, fat + ".change", "change", figure.change);
                r.optional_text(*c, fat + ".change", "since_period", figure.since_period);
                r.optional_text(*c, fat + ".change", "since_cycle", figure.since_cycle);
              }
              r.optional_text(f, fat, "change_note", figure.change_note);
              return figure;
            });
        metric.missing = objects<Doc::OutsideInMissing>(r, m, mat, "missing", false,
                                                        [&](const json& x, const std::string& xat) {
                                                          Doc::OutsideInMissing missing;
                                                          unit(x, xat, missing.unit);
                                                          r.text(x, xat, "reason", missing.reason);
                                                          return missing;
                                                        });
        return metric;
      });
  if (const json* g = r.nullable_object(*v, at, "delivery_gap", true)) {
    const std::string gat = at + ".delivery_gap";
    r.texts(*g, gat, "statements", true, o.statements);
    r.optional_text(*g, gat, "reason", o.gap_reason);
    o.rows = objects<Doc::DeliveryGapRow>(
        r, *g, gat, "rows", true, [&](const json& x, const std::string& xat) {
          Doc::DeliveryGapRow row;
          r.text(x, xat, "metric", row.metric);
          unit(x, xat, row.unit);
          r.text(x, xat, "period", row.period);
          r.optional_score(x, xat, "own", row.own);
          r.optional_number(x, xat, "gap", row.gap);
          r.count(x, xat, "own_respondents", row.own_respondents);
          if (x.contains("own_statements")) r.count(x, xat, "own_statements", row.own_statements);
          r.number(x, xat, "customers", row.customers);
          if (x.contains("customer_value")) r.number(x, xat, "customer_value", row.customer_value);
          r.count(x, xat, "customer_respondents", row.customer_respondents);
          r.optional_text(x, xat, "reason", row.reason);
          return row;
        });
    o.hidden = objects<Doc::DeliveryGapHidden>(r, *g, gat, "hidden", false,
                                               [&](const json& x, const std::string& xat) {
                                                 Doc::DeliveryGapHidden h;
                                                 r.text(x, xat, "metric", h.metric);
                                                 unit(x, xat, h.unit);
                                                 r.text(x, xat, "reason", h.reason);
                                                 return h;
                                               });
  }
  doc.outside_in = std::move(o);
}

void check_gap_references(Reader& r, const Doc& doc) {
  for (std::size_t k = 0; k < doc.next_stage_gaps.size() && r.ok(); ++k) {
    if (!find_statement(doc, doc.next_stage_gaps[k])) {
      r.fail(element("next_stage_gaps", k),
             "names no statement of items (\"" + doc.next_stage_gaps[k] + "\")");
    }
  }
}

std::string not_a_score_document() {
  return std::string("not a cxm score document (expected \"schema\": \"") + kScoreSchema +
         "\"; create one with cxm score --json)";
}

bool has_score_schema(const json& doc) {
  if (!doc.is_object()) return false;
  const auto schema = doc.find("schema");
  return schema != doc.end() && schema->is_string() && schema->get<std::string>() == kScoreSchema;
}

}  // namespace

ScoreDocumentReading read_score_document(std::string_view text) {
  const json d = json::parse(text, nullptr, false);
  if (d.is_discarded()) {
    return {std::nullopt, ScoreDocumentReading::Problem::not_json, "not valid JSON"};
  }
  return read_parsed_score_document(d);
}

ScoreDocumentReading read_parsed_score_document(const json& d) {
  using Problem = ScoreDocumentReading::Problem;
  if (!has_score_schema(d)) {
    return {std::nullopt, Problem::not_score_document, not_a_score_document()};
  }
  Reader r;
  Doc doc;
  read_header(r, d, doc);
  if (r.ok()) read_verdict(r, d, doc);
  if (r.ok()) read_results(r, d, doc);
  if (r.ok()) read_groups(r, d, doc);
  if (r.ok()) read_server_additions(r, d, doc);
  if (r.ok()) read_silo(r, d, doc);
  if (r.ok()) read_outside_in(r, d, doc);
  if (r.ok()) check_gap_references(r, doc);
  if (!r.ok()) return {std::nullopt, Problem::invalid_field, r.take_error()};
  return {std::move(doc), Problem::none, ""};
}

std::optional<ScoreDocument> score_document_from_json(std::string_view text, std::string& error) {
  ScoreDocumentReading reading = read_score_document(text);
  error = std::move(reading.error);
  return std::move(reading.document);
}

std::string reading_error(const ScoreDocumentReading& reading, std::string_view incomplete) {
  if (reading.problem == ScoreDocumentReading::Problem::invalid_field) {
    return std::string(incomplete) + reading.error;
  }
  return reading.error;
}

std::string check_score_document(std::string_view score_json) {
  const json doc = json::parse(score_json, nullptr, false);
  if (doc.is_discarded()) return "not valid JSON";
  if (!has_score_schema(doc)) return not_a_score_document();
  return {};
}

}  // namespace cxm::report
