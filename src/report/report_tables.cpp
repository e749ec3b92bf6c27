#include "report/report_tables.h"

#include <charconv>
#include <filesystem>
#include <fstream>

#include "core/benchmark.h"
#include "report/action_exports.h"
#include "report/csv.h"
#include "report/outside_in_text.h"
#include "report/report_text.h"

namespace cxm::report {
namespace {

using Doc = ScoreDocument;

// Builds one table row by row; a number cell stays empty when the document
// has no number (too few answers) rather than holding text.
// A table's, a column's or a summary row's English name in the report's
// language (the "table." keys of report_text); a name that is no key (a
// competency's, a statement's id) stays as it is. File names never change.
std::string label(const std::string& english) {
  const auto& table = text_table(current_lang());
  const auto it = table.find("table." + english);
  return it == table.end() ? english : it->second;
}

class TableBuilder {
 public:
  TableBuilder(std::string name, std::string file, std::vector<Column> columns) {
    table_.name = label(name);
    table_.file = std::move(file);
    for (auto& c : columns) c.name = label(c.name);
    table_.columns = std::move(columns);
  }
  TableBuilder& text(const std::string& value) {
    Cell cell;
    if (!value.empty()) {
      cell.kind = Cell::Kind::text;
      cell.text = value;
    }
    row_.push_back(std::move(cell));
    return *this;
  }
  TableBuilder& number(const std::optional<double>& value,
                       NumberFormat format = NumberFormat::general) {
    Cell cell;
    if (value) {
      cell.kind = Cell::Kind::number;
      cell.number = *value;
      cell.format = format;
    }
    row_.push_back(std::move(cell));
    return *this;
  }
  // A YYYY-MM-DD day as a date; anything else (a free text date of a
  // dataset) stays text.
  TableBuilder& date(const std::string& value) {
    text(value);
    if (core::parse_iso_date(value)) row_.back().kind = Cell::Kind::date;
    return *this;
  }
  TableBuilder& flag(bool value) {
    Cell cell;
    cell.kind = Cell::Kind::flag;
    cell.flag = value;
    row_.push_back(std::move(cell));
    return *this;
  }
  // Why the table has no rows, for the workbook (Table::empty_note).
  // In the report's language when it is one of the notes of report_text.
  void empty_note(std::string note) {
    const auto& words = text_table(current_lang());
    const auto it = words.find("note." + note);
    table_.empty_note = it == words.end() ? std::move(note) : it->second;
  }
  void next() {
    row_.resize(table_.columns.size());
    table_.rows.push_back(std::move(row_));
    row_.clear();
  }
  Table finish() { return std::move(table_); }

 private:
  Table table_;
  std::vector<Cell> row_;
};

using F = NumberFormat;

// A whole number of the document as a cell's value (empty when absent).
std::optional<double> whole(const std::optional<long long>& v) {
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

std::optional<double> whole(const std::optional<int>& v) {
  return v ? std::optional<double>(*v) : std::nullopt;
}

Table summary_table(const Doc& doc, const ReportContext& ctx) {
  TableBuilder s("Summary", "summary.csv", {{"What", 28}, {"Value", 60}});
  auto row_text = [&](const std::string& what, const std::string& value) {
    s.text(label(what)).text(value).next();
  };
  auto row_number = [&](const std::string& what, const std::optional<double>& value, F format) {
    s.text(label(what)).number(value, format).next();
  };
  row_text("Organization", ctx.organization);
  // Branding: who prepared it and how confidential it is, at the top.
  row_text("Prepared by", ctx.branding.consultant);
  row_text("Confidentiality", ctx.branding.confidentiality);
  row_text("Assessment", ctx.cycle);
  row_text("Group", ctx.filter.empty() ? tr("table.everyone") : ctx.filter);
  row_text("Model", doc.model.title);
  row_text("Model id", doc.model.id);
  row_text("Model version", doc.model.version);
  row_text("Form", tr(doc.form == core::Form::pulse ? "table.form_pulse" : "table.form_full"));
  row_number("Respondents", static_cast<double>(doc.respondents), F::integer);
  // Of them, imported from a survey tool's export (0 in a file scored
  // outside the server).
  row_number("Imported respondents", ctx.imported, F::integer);
  row_number("Invited", whole(ctx.invited), F::integer);
  row_number("Response rate",
             ctx.invited && *ctx.invited > 0
                 ? std::optional<double>(static_cast<double>(doc.respondents) / *ctx.invited)
                 : std::nullopt,
             F::percent);
  row_number("Overall score (0-100)", doc.overall_score, F::score);
  row_number("Stage", doc.stage ? std::optional<double>(doc.stage->number) : std::nullopt,
             F::integer);
  row_text("Stage name", doc.stage ? doc.stage->name : tr("table.no_stage"));
  row_text("Key obstacle", doc.stage ? doc.stage->obstacle : "");
  row_text("Next stage", doc.next_stage ? doc.next_stage->name : "");
  row_text("Stage evidence", !doc.stage              ? ""
                             : doc.stage->indicative ? tr("evidence.too_few")
                                                     : tr("table.enough"));
  row_number("Stage threshold", doc.threshold, F::score);
  row_number("Minimum group size", static_cast<double>(doc.min_group_size), F::integer);
  if (doc.stage_rollup) row_text("Stage roll-up", doc.stage_rollup->statement);
  // The silo score (its units in the Silo sheet), always these rows.
  row_number("Silo score (0-100)", doc.silo ? doc.silo->score : std::nullopt, F::score);
  row_number("Units' spread (overall, highest - lowest)",
             doc.silo ? doc.silo->spread : std::nullopt, F::score);
  row_text("Silo score: what it means",
           doc.silo ? silo_sentence(doc) : tr("table.no_silo_statements"));
  for (const auto& x : doc.out_of_scope) {
    s.text(tr("table.Out of scope: {id}", {{"id", x.id}}))
        .text(x.text + " (" + x.reason + ")")
        .next();
  }
  // Outside-in (its figures in the Outside-in sheet): the caveat.
  if (doc.outside_in) row_text("Outside-in: a comparison, not a cause", doc.outside_in->caveat);
  if (core::parse_iso_date(ctx.generated_day)) {
    s.text(label("Made on")).date(ctx.generated_day).next();
  } else {
    row_text("Made on", ctx.generated_on);
  }
  return s.finish();
}

Table competency_table(const Doc& doc) {
  TableBuilder s("Competencies", "competencies.csv",
                 {{"Competency id", 16},
                  {"Competency", 34},
                  {"Score", 9},
                  {"Stage", 8},
                  {"Stage name", 16},
                  {"rwg(j)", 9},
                  {"rwg(j) n", 9},
                  {"Alpha", 9},
                  {"Alpha n", 9},
                  {"Target stage", 12},
                  {"Too few answers to be sure", 14}});
  for (const auto& c : doc.competencies) {
    s.text(c.id).text(c.name).number(c.score, F::score).number(whole(c.stage), F::integer);
    s.text(c.stage_name)
        .number(c.rwg_j, F::index)
        .number(static_cast<double>(c.rwg_j_n), F::integer);
    s.number(c.alpha, F::index).number(static_cast<double>(c.alpha_n), F::integer);
    s.number(whole(c.target_stage), F::integer).flag(c.indicative).next();
  }
  return s.finish();
}

Table statement_table(const Doc& doc) {
  std::vector<Column> columns = {{"Statement id", 12},
                                 {"Competency id", 16},
                                 {"Stage", 7},
                                 {"Statement", 60},
                                 {"n", 6},
                                 {"Missing", 8},
                                 {"Mean", 7},
                                 {"Median", 8},
                                 {"SD", 7},
                                 {"Score", 8},
                                 {"rwg", 7},
                                 {"Agreement", 13},
                                 {"Two camps", 10}};
  for (const auto& answer : doc.scale.labels)
    columns.push_back({label("Answers") + ": " + answer, 14});
  // Its score is reversed (the answers and their mean are as given).
  columns.push_back({"Worded in reverse", 10});
  TableBuilder s("Statements", "statements.csv", std::move(columns));
  for (const auto& i : doc.items) {
    s.text(i.id).text(i.competency).number(i.stage, F::integer).text(i.text);
    s.number(static_cast<double>(i.n), F::integer)
        .number(static_cast<double>(i.missing), F::integer);
    s.number(i.mean, F::index)
        .number(i.median, F::index)
        .number(i.sd, F::index)
        .number(i.score, F::score);
    s.number(i.rwg, F::index)
        .text(i.agreement ? core::to_string(*i.agreement) : "")
        .flag(i.bimodal);
    for (long long count : i.histogram) s.number(static_cast<double>(count), F::integer);
    s.flag(i.reverse).next();
  }
  return s.finish();
}

// A shown group's score for competency `id`; empty when hidden or not given.
std::optional<double> group_score(const Doc::Segment& g, const std::string& id) {
  std::optional<double> score;
  if (g.suppressed) return score;
  for (const auto& gc : g.competencies) {
    if (gc.id == id) score = gc.score;
  }
  return score;
}

Table group_table(const Doc& doc) {
  std::vector<Column> columns = {{"Kind", 7},        {"Group id", 16},      {"Group", 24},
                                 {"People", 8},      {"Imported", 9},       {"Shown", 7},
                                 {"Why hidden", 48}, {"Overall score", 13}, {"Stage", 7}};
  for (const auto& c : doc.competencies) columns.push_back({c.name, 14});
  TableBuilder s("Groups", "groups.csv", std::move(columns));
  for (const auto& [kind, segments] :
       {std::pair{"role", &doc.segments.role}, std::pair{"unit", &doc.segments.unit}}) {
    for (const auto& g : *segments) {
      const bool shown = !g.suppressed;
      // Imported: of People, rows the facilitator supplied; empty where People is hidden.
      s.text(kind).text(g.value).text(g.name).number(whole(g.respondents), F::integer);
      if (g.respondents) {
        s.number(static_cast<double>(g.imported.value_or(0)), F::integer);
      } else {
        s.number(std::nullopt, F::integer);
      }
      s.flag(shown);
      s.text(shown ? "" : g.reason).number(shown ? g.overall_score : std::nullopt, F::score);
      s.number(shown ? whole(g.stage) : std::nullopt, F::integer);
      for (const auto& c : doc.competencies) s.number(group_score(g, c.id), F::score);
      s.next();
    }
  }
  s.empty_note("No roles or units: the respondents were not asked for either.");
  return s.finish();
}

// The silo score of everyone and of each shown unit (a hidden unit is not
// in the document, so never here).
Table silo_table(const Doc& doc) {
  TableBuilder s("Silo", "silo.csv", {{"Group", 24}, {"Silo score", 11}});
  if (doc.silo) {
    s.text(tr("table.everyone")).number(doc.silo->score, F::score).next();
    for (const auto& u : doc.silo->units) s.text(u.name).number(u.score, F::score).next();
  }
  s.empty_note("No silo score: the model has no statements with the silo theme.");
  return s.finish();
}

// Outside-in: each customer figure for the cycle's period (whole
// organization and units), its change, and the delivery gap where the
// report shows the group; a missing figure or a hidden gap with its reason.
Table outside_in_table(const Doc& doc) {
  TableBuilder t("Outside-in", "outside_in.csv",
                 {{"Metric", 16},
                  {"Group", 20},
                  {"Period", 10},
                  {"Customer figure", 10},
                  {"Scale min", 8},
                  {"Scale max", 8},
                  {"Customer figure (0-100)", 12},
                  {"Customers", 10},
                  {"Source", 24},
                  {"Synthetic", 9},
                  {"Change", 9},
                  {"Change since period", 12},
                  {"Own view (0-100)", 12},
                  {"Own respondents", 12},
                  {"Delivery gap (points)", 12},
                  {"Note", 48}});
  if (doc.outside_in) {
    const auto& o = *doc.outside_in;
    auto gap_row = [&](const std::string& metric,
                       const std::string& unit) -> const Doc::DeliveryGapRow* {
      for (const auto& r : o.rows) {
        if (r.metric == metric && r.unit == unit) return &r;
      }
      return nullptr;
    };
    auto hidden_reason = [&](const std::string& metric, const std::string& unit) -> std::string {
      for (const auto& h : o.hidden) {
        if (h.metric == metric && h.unit == unit)
          return tr("table.delivery_gap", {{"reason", h.reason}});
      }
      return o.gap_reason.empty() ? "" : tr("table.delivery_gap", {{"reason", o.gap_reason}});
    };
    for (const auto& m : o.metrics) {
      for (const auto& f : m.figures) {
        const Doc::DeliveryGapRow* g = gap_row(m.metric, f.unit);
        std::string note = f.change ? "" : f.change_note;
        const std::string gap_note = g ? g->reason : hidden_reason(m.metric, f.unit);
        if (!gap_note.empty()) note += (note.empty() ? "" : "; ") + gap_note;
        t.text(m.name)
            .text(outside_in_group(f.unit))
            .text(f.period)
            .number(f.value)
            .number(m.scale_min)
            .number(m.scale_max)
            .number(f.normalized, F::score)
            .number(static_cast<double>(f.respondents), F::integer)
            .text(f.source)
            .flag(f.synthetic)
            .number(f.change)
            .text(f.since_period)
            .number(g ? g->own : std::nullopt, F::score)
            .number(
                g ? std::optional<double>(static_cast<double>(g->own_respondents)) : std::nullopt,
                F::integer)
            .number(g ? g->gap : std::nullopt, F::score)
            .text(note)
            .next();
      }
      for (const auto& x : m.missing) {
        t.text(m.name).text(outside_in_group(x.unit));
        // No figure: nothing to call synthetic or not.
        for (int i = 0; i < 13; ++i) t.text("");
        t.text(x.reason).next();
      }
    }
    t.empty_note("No customer figures for this assessment's period.");
  } else {
    t.empty_note(
        "No customer metrics in this report: the organization has imported none, or the report is "
        "a role's or a unit's, or made from a score file.");
  }
  return t.finish();
}

Table answer_table(const RawAnswers& raw) {
  std::vector<Column> columns = {{"Respondent", 11}, {"Role", 12}, {"Unit", 16}};
  for (const auto& id : raw.item_ids) columns.push_back({id, 7});
  TableBuilder s("Answers", "answers.csv", std::move(columns));
  for (const auto& r : raw.respondents) {
    s.text(r.id).text(r.role).text(r.unit);
    for (const auto& a : r.answers) s.number(whole(a), F::integer);
    s.next();
  }
  s.empty_note("No answers submitted yet.");
  return s.finish();
}

// Why a section of a cycle on the server (benchmark, change, plan,
// decisions) is not in this report at all: it was made from a file, or it
// is the report of one group.
std::string absent_section(const ReportContext& ctx, const std::string& what) {
  if (!ctx.filter.empty()) {
    return tr("table.absent_group", {{"filter", ctx.filter}, {"what", label(what)}});
  }
  if (!ctx.from_server) return tr("table.absent_file", {{"what", label(what)}});
  return {};
}

Table benchmark_table(const ReportSections& sections, const ReportContext& ctx) {
  TableBuilder s("Benchmark", "benchmark.csv",
                 {{"Dataset", 28},
                  {"Synthetic", 10},
                  {"Cut", 20},
                  {"Id", 14},
                  {"Name", 30},
                  {"Score", 9},
                  {"Percentile", 11},
                  {"Peers", 8},
                  {"Peer median", 12},
                  {"Peer Q1", 9},
                  {"Peer Q3", 9},
                  {"Source", 30},
                  {"Citation", 40},
                  {"Licence", 14},
                  {"Published on", 13}});
  if (sections.benchmark) {
    const auto& b = *sections.benchmark;
    for (const auto& r : b.rows) {
      s.text(b.dataset)
          .flag(b.synthetic)
          .text(b.cut)
          .text(r.id)
          .text(r.name)
          .number(r.score, F::score);
      s.number(r.percentile, F::score)
          .number(static_cast<double>(r.peers), F::integer)
          .number(r.median, F::score);
      s.number(r.q1, F::score)
          .number(r.q3, F::score)
          .text(b.source)
          .text(b.citation)
          .text(b.licence);
      s.date(b.published_on).next();
    }
  }
  const std::string absent = absent_section(ctx, "benchmark");
  if (!absent.empty()) {
    s.empty_note(absent);
  } else if (sections.benchmark && !sections.benchmark->withheld.empty()) {
    s.empty_note(tr("table.not_shown", {{"reason", sections.benchmark->withheld}}));
  } else {
    s.empty_note(
        "No benchmark: no dataset of peers on this server, and the organization does not take "
        "part in the pool.");
  }
  return s.finish();
}

Table change_table(const ReportSections& sections, const ReportContext& ctx) {
  TableBuilder s("Change", "change.csv",
                 {{"Since", 24},
                  {"Id", 14},
                  {"Name", 30},
                  {"Before", 9},
                  {"After", 9},
                  {"Change", 9},
                  {"95% CI low", 11},
                  {"95% CI high", 11},
                  {"Verdict", 16},
                  // The change at the same mix of roles (SPEC section 3).
                  {"Same mix of roles: change", 12},
                  {"Same mix of roles: 95% CI low", 12},
                  {"Same mix of roles: 95% CI high", 12},
                  {"Same mix of roles: verdict", 16},
                  {"Flagged", 9},
                  {"Why flagged, or why no change at the same mix of roles", 48}});
  if (sections.change) {
    for (const auto& r : sections.change->rows) {
      s.text(sections.change->since).text(r.id).text(r.name).number(r.before, F::score);
      s.number(r.after, F::score).number(r.change, F::score).number(r.ci_low, F::score);
      s.number(r.ci_high, F::score).text(r.verdict);
      if (r.balanced) {
        const auto& b = *r.balanced;
        s.number(b.change, F::score).number(b.ci_low, F::score).number(b.ci_high, F::score);
        s.text(b.verdict).flag(b.flagged).text(b.reason).next();
      } else {
        s.number(std::nullopt).number(std::nullopt).number(std::nullopt).text("");
        s.flag(false).text(r.balanced_note).next();
      }
    }
  }
  const std::string absent = absent_section(ctx, "change since the previous cycle");
  s.empty_note(!absent.empty()
                   ? absent
                   : "No earlier cycle to compare with: the change shows from the organization's "
                     "second assessment on.");
  return s.finish();
}

// The roles taking part in each row's change at the same mix of roles,
// with their share of each cycle's respondents (only roles both cycles'
// results show).
Table role_mix_table(const ReportSections& sections, const ReportContext& ctx) {
  TableBuilder s("Role mix", "role_mix.csv",
                 {{"Since", 24},
                  {"Id", 14},
                  {"Name", 30},
                  {"Role", 14},
                  {"Role name", 24},
                  {"Share before", 12},
                  {"Share after", 12}});
  if (sections.change) {
    for (const auto& r : sections.change->rows) {
      if (!r.balanced) continue;
      for (const auto& role : r.balanced->roles) {
        s.text(sections.change->since).text(r.id).text(r.name).text(role.role).text(role.name);
        s.number(role.share_before, F::percent).number(role.share_after, F::percent).next();
      }
    }
  }
  const std::string absent = absent_section(ctx, "change since the previous cycle");
  s.empty_note(!absent.empty() ? absent
                               : "No roles to compare: the change at the same mix of roles needs "
                                 "an earlier cycle and two roles shown in both cycles' results.");
  return s.finish();
}

Table action_table(const ReportSections& sections, const ReportContext& ctx) {
  TableBuilder s(
      "Actions", "actions.csv",
      {{"Action", 48}, {"Owner", 20}, {"Due", 12}, {"Status", 12}, {"Competency id", 16}});
  if (sections.actions) {
    for (const auto& a : *sections.actions) {
      s.text(a.title).text(a.owner).date(a.due).text(action_status_label(a.status));
      s.text(a.competency).next();
    }
  }
  const std::string absent = absent_section(ctx, "action plan");
  s.empty_note(!absent.empty() ? absent : "No actions in the organization's plan yet.");
  return s.finish();
}

Table decision_table(const ReportSections& sections, const ReportContext& ctx) {
  TableBuilder s("Decisions", "decisions.csv",
                 {{"Statement id", 12},
                  {"Statement", 60},
                  {"Decision", 9},
                  {"Decision label", 18},
                  {"Note", 60}});
  if (sections.decisions) {
    for (const auto& d : *sections.decisions) {
      s.text(d.item_id).text(d.statement).number(whole(d.decision), F::integer);
      s.text(d.decision_label).text(d.note).next();
    }
  }
  const std::string absent = absent_section(ctx, "discussion's notes and decisions");
  s.empty_note(!absent.empty()
                   ? absent
                   : "No notes or decisions recorded in the discussion of the results.");
  return s.finish();
}

// What moved after talking in a live workshop: each statement revealed in
// both rounds, before and after, in words and figures; a hidden one says
// why and has no figures.
Table workshop_table(const ReportSections& sections, const ReportContext& ctx) {
  TableBuilder s("Workshop", "workshop.csv",
                 {{"Competency", 24},
                  {"Statement", 60},
                  {"Mean before", 11},
                  {"Mean after", 11},
                  {"rwg before", 10},
                  {"rwg after", 10},
                  {"In words", 60},
                  {"Not shown because", 40}});
  if (sections.workshop) {
    for (const auto& r : *sections.workshop) {
      s.text(r.competency).text(r.statement);
      s.number(r.mean_before, F::score).number(r.mean_after, F::score);
      s.number(r.rwg_before, F::index).number(r.rwg_after, F::index);
      s.text(r.words).text(r.hidden).next();
    }
  }
  const std::string absent = absent_section(ctx, "live workshop's before and after");
  s.empty_note(!absent.empty() ? absent
                               : "No live workshop of this cycle revealed a statement in both "
                                 "rounds.");
  return s.finish();
}

// What respondents wrote, one comment per row (in the document's keyed
// order, never with a role or unit), only where it may be shown; a
// competency whose comments are withheld has one row saying why. Every
// cell is text the respondents wrote: neutralized like any other.
Table comment_table(const Doc& doc) {
  TableBuilder s(
      "Comments", "comments.csv",
      {{"Competency", 24}, {"Question", 40}, {"Comment", 80}, {"Not shown because", 40}});
  for (const auto& c : doc.comments) {
    if (!c.withheld.empty()) {
      s.text(c.name).text(c.question).text("").text(c.withheld).next();
      continue;
    }
    for (const auto& t : c.texts) s.text(c.name).text(c.question).text(t).text("").next();
    // A hidden comment: its row says it was hidden and why, never its text.
    for (const auto& reason : c.hidden_reasons) {
      s.text(c.name)
          .text(c.question)
          .text("")
          .text(tr("table.hidden_by", {{"reason", reason}}))
          .next();
    }
  }
  s.empty_note("No comments.");
  return s.finish();
}

}  // namespace

std::vector<Table> report_tables(const ScoreDocument& doc, const ReportContext& context,
                                 const RawAnswers* raw) {
  const TextScope words(context.lang);
  std::vector<Table> tables;
  tables.push_back(summary_table(doc, context));
  tables.push_back(competency_table(doc));
  tables.push_back(statement_table(doc));
  tables.push_back(group_table(doc));
  if (raw) tables.push_back(answer_table(*raw));
  tables.push_back(benchmark_table(context.sections, context));
  tables.push_back(change_table(context.sections, context));
  tables.push_back(action_table(context.sections, context));
  tables.push_back(decision_table(context.sections, context));
  tables.push_back(workshop_table(context.sections, context));
  tables.push_back(silo_table(doc));
  if (!doc.comments.empty()) tables.push_back(comment_table(doc));
  tables.push_back(role_mix_table(context.sections, context));
  tables.push_back(outside_in_table(doc));
  return tables;
}

std::string report_tables(std::string_view score_json, const ReportContext& context,
                          const RawAnswers* raw, std::vector<Table>& tables) {
  const ScoreDocumentReading reading = read_score_document(score_json);
  if (!reading.document) return reading_error(reading, "not a complete score document: ");
  tables = report_tables(*reading.document, context, raw);
  return {};
}

namespace {

// A number as CSV holds it, rounded as its format says.
std::string csv_cell_number(const Cell& cell) {
  switch (cell.format) {
    case NumberFormat::score:
      return csv_number(cell.number, 2);
    case NumberFormat::index:
    case NumberFormat::percent:
      return csv_number(cell.number, 3);
    case NumberFormat::integer:
      return csv_number(cell.number, 0);
    case NumberFormat::general:
      break;
  }
  return csv_number(cell.number);
}

}  // namespace

std::string table_csv(const Table& table) {
  std::string out(kUtf8Bom);
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    out += (c ? "," : "") + csv_field(table.columns[c].name);
  }
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) out += ',';
      const Cell& cell = row[c];
      switch (cell.kind) {
        case Cell::Kind::empty:
          break;
        case Cell::Kind::text:
        case Cell::Kind::date:
          out += csv_field(cell.text);
          break;
        case Cell::Kind::number:
          out += csv_cell_number(cell);
          break;
        case Cell::Kind::flag:
          out += cell.flag ? "true" : "false";
          break;
      }
    }
    out += "\r\n";
  }
  return out;
}

std::string write_csv_tables(const std::string& directory, const ScoreDocument& doc,
                             const ReportContext& context, const RawAnswers* raw) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return "cannot create " + directory + ": " + error.message();
  for (const auto& table : report_tables(doc, context, raw)) {
    const auto path = (std::filesystem::path(directory) / table.file).string();
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << table_csv(table);
    file.close();
    if (!file) return "cannot write " + path;
  }
  return {};
}

std::string write_csv_tables(const std::string& directory, std::string_view score_json,
                             const ReportContext& context, const RawAnswers* raw) {
  const ScoreDocumentReading reading = read_score_document(score_json);
  if (!reading.document) return reading_error(reading, "not a complete score document: ");
  return write_csv_tables(directory, *reading.document, context, raw);
}

}  // namespace cxm::report
