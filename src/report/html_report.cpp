#include "report/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/branding.h"
#include "report/html_text.h"
#include "report/number_text.h"
#include "report/outside_in_text.h"
#include "report/reference_figures.h"
#include "report/report_text.h"

namespace cxm::report {
namespace {

using Doc = ScoreDocument;

std::string esc(std::string_view text) { return html_escape(text); }

std::string fixed(double v, int decimals) { return fixed_decimals(v, decimals); }

// A number in the text, as the report's language writes it ("62,5" in
// German). Coordinates of charts use fixed().
std::string num(double v, int decimals) { return decimal_text(v, decimals); }

// A number of the document, or a dash when it is null (not enough answers).
std::string value(const std::optional<double>& v, int decimals = 0) {
  return v ? num(*v, decimals) : "–";
}

constexpr std::string_view kStyle = R"(
:root { --ink: #17202a; --muted: #5b6673; --line: #d5dbe1; --accent: #0f6b7a; --soft: #eef4f6; --warn: #a33d1e; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); margin: 0; }
main { max-width: 190mm; margin: 0 auto; padding: 12mm 10mm; }
h1 { font-size: 26pt; line-height: 1.15; margin: 0 0 6mm; }
h2 { font-size: 15pt; margin: 9mm 0 3mm; padding-bottom: 1.5mm; border-bottom: 2px solid var(--accent); break-after: avoid; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; break-after: avoid; }
h2 + p, h3 + p { break-after: avoid; }
td.figure { white-space: normal; text-align: right; width: 22%; }
th.source { width: 34%; }
p { margin: 0 0 3mm; }
.muted { color: var(--muted); }
.caveat { border-left: 3px solid var(--warn); padding-left: 3mm; }
td.nowrap { white-space: nowrap; }
.unsure { color: #a33d1e; }
p.unsure { color: inherit; }
p.unsure strong { color: #a33d1e; }
.cover { min-height: 240mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.cover .brand { color: var(--accent); font-weight: 700; letter-spacing: .04em; text-transform: uppercase; font-size: 9.5pt; }
.cover dl { display: grid; grid-template-columns: max-content 1fr; gap: 1.5mm 6mm; margin-top: 8mm; }
.cover dt { color: var(--muted); }
.cover dd { margin: 0; font-weight: 600; }
.verdict { background: var(--soft); border-left: 4px solid var(--accent); padding: 4mm 5mm; margin: 3mm 0 4mm; break-inside: avoid; }
.verdict strong { font-size: 13pt; }
figure { margin: 3mm 0 5mm; break-inside: avoid; }
figcaption { font-size: 9pt; color: var(--muted); margin-top: 1.5mm; }
svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 5mm; font-size: 9.5pt; }
th, td { text-align: left; padding: 1.4mm 2mm; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nowrap, th.nowrap { white-space: nowrap; }
thead { display: table-header-group; }
tr, li { break-inside: avoid; }
table.keep, .keep-together { break-inside: avoid; }
h2, h3, figcaption + table { break-after: avoid; }
section > h2 + * { break-before: avoid; }
.cover .logo { display: block; max-width: 60mm; max-height: 30mm; margin-bottom: 10mm; object-fit: contain; }
.cover .prepared { margin-top: 10mm; font-size: 11pt; }
.cover .confidential { margin-top: 3mm; color: var(--warn); font-weight: 600; font-size: 9.5pt; }
ul, ol { margin: 0 0 3mm; padding-left: 6mm; }
li { margin-bottom: 1mm; }
.tag { display: inline-block; font-size: 8.5pt; padding: 0 1.5mm; border-radius: 2mm; background: #fbe9e4; color: var(--warn); }
.notice { border: 1px solid var(--line); padding: 6mm; margin-top: 20mm; }
@page { size: A4; margin: 14mm 12mm 16mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8.5pt system-ui, sans-serif; color: #5b6673; } }
@media print { main { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
)";

// `text` as a quoted CSS string: quotes, backslashes, line breaks and '<'
// (which could close the style element) escaped as code points.
std::string css_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || u < 0x20 || u == 0x7f) {
      char buffer[12];
      std::snprintf(buffer, sizeof buffer, "\\%x ", u);
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// The line at the foot of every printed page: who prepared the report and
// how confidential it is.
std::string footer_line(const ReportContext& ctx) {
  const Branding& b = ctx.branding;
  std::string line = b.confidentiality;
  // "Prepared by" unless the confidentiality line names the consultant already.
  if (!b.consultant.empty() && line.find(b.consultant) == std::string::npos)
    line += (line.empty() ? "" : " · ") + tr("html.prepared_by", {{"consultant", b.consultant}});
  return line;
}

// A table that is kept on one page when it is short; a long one breaks
// between rows, its header repeated.
std::string table_open(std::size_t rows) {
  return rows <= 14 ? "<table class=\"keep\">" : "<table>";
}

// "Page 3 of 12" as a CSS content value in the report's language.
std::string page_number_css() {
  std::string words = tr("html.page_of", {{"page", "\x01"}, {"pages", "\x02"}});
  std::string out;
  std::string part;
  auto flush = [&] {
    if (!part.empty()) out += (out.empty() ? "" : " ") + css_string(part);
    part.clear();
  };
  for (char c : words) {
    if (c == '\x01' || c == '\x02') {
      flush();
      out +=
          (out.empty() ? "" : " ") + std::string(c == '\x01' ? "counter(page)" : "counter(pages)");
    } else {
      part += c;
    }
  }
  flush();
  return out;
}

class Page {
 public:
  explicit Page(const std::string& title, const std::string& footer = "") {
    out_ += "<!doctype html>\n<html lang=\"" + std::string(lang_tag(current_lang())) +
            "\">\n<head>\n<meta charset=\"utf-8\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out_ += "<title>" + esc(title) + "</title>\n<style>" + std::string(kStyle);
    // The page number in the report's language.
    out_ += "@page { @bottom-right { content: " + page_number_css() + "; } }\n";
    if (!footer.empty()) {
      // The line takes the width the page number leaves; the number never wraps.
      out_ += "@page { @bottom-left { content: " + css_string(footer) +
              "; width: 80%; font: 8pt system-ui, sans-serif; color: #5b6673; } "
              "@bottom-right { white-space: nowrap; } }\n";
    }
    out_ += "</style>\n</head>\n<body>\n<main>\n";
  }
  Page& operator<<(std::string_view html) {
    out_ += html;
    return *this;
  }
  std::string finish() {
    out_ += "</main>\n</body>\n</html>\n";
    return std::move(out_);
  }
  // An id for a chart's title and description, unique in the page.
  std::string next_id() { return "fig" + std::to_string(++ids_); }

 private:
  std::string out_;
  int ids_ = 0;
};

void cover(Page& page, const Doc& doc, const ReportContext& ctx) {
  const Branding& brand = ctx.branding;
  page << "<section class=\"cover\">\n";
  // The organization's logo, checked again: only a PNG or JPEG is inlined.
  if (const LogoCheck logo = check_logo(brand.logo); logo.error.empty()) {
    page << "<img class=\"logo\" alt=\""
         << esc(tr("html.logo",
                   {{"name", ctx.organization.empty() ? brand.consultant : ctx.organization}}))
         << "\" src=\"" << logo_data_uri(brand.logo, logo.type) << "\">\n";
  }
  page << "<p class=\"brand\">"
       << esc(brand.consultant.empty() ? tr("html.brand") : brand.consultant) << "</p>\n";
  page << "<h1>"
       << esc(ctx.organization.empty() ? tr("html.title")
                                       : tr("html.title_of", {{"organization", ctx.organization}}))
       << "</h1>\n<dl>\n";
  auto row = [&](const std::string& term, const std::string& detail) {
    if (!detail.empty()) page << "<dt>" << esc(term) << "</dt><dd>" << esc(detail) << "</dd>\n";
  };
  row(tr("html.cover.assessment"), ctx.cycle);
  row(tr("html.cover.group"), ctx.filter.empty() ? std::string() : ctx.filter);
  row(tr("html.cover.period"), ctx.period);
  row(tr("html.cover.model"), doc.model.title + " " + doc.model.version);
  row(tr("html.cover.respondents"),
      ctx.invited && *ctx.invited > 0
          ? tr("html.cover.respondents_of",
               {{"n", std::to_string(doc.respondents)}, {"invited", std::to_string(*ctx.invited)}})
          : std::to_string(doc.respondents));
  if (doc.form == core::Form::pulse) row(tr("html.cover.form"), tr("html.cover.pulse"));
  row(tr("html.cover.made"), ctx.generated_on);
  page << "</dl>\n";
  if (!brand.consultant.empty()) {
    page << "<p class=\"prepared\">"
         << esc(ctx.organization.empty()
                    ? tr("html.prepared_by", {{"consultant", brand.consultant}})
                    : tr("html.prepared_for",
                         {{"consultant", brand.consultant}, {"organization", ctx.organization}}))
         << "</p>\n";
  }
  if (!brand.confidentiality.empty()) {
    page << "<p class=\"confidential\">" << esc(brand.confidentiality) << "</p>\n";
  }
  page << "</section>\n";
}

// Competency names in the order of `ranking`.
std::string names(const std::vector<Doc::RankedCompetency>& ranking,
                  const std::vector<Doc::Competency>& competencies) {
  std::string out;
  for (std::size_t i = 0; i < ranking.size(); ++i) {
    std::string name = ranking[i].name;
    for (const auto& c : competencies) {
      if (c.id == ranking[i].id) name += " (" + value(c.score) + ")";
    }
    out += (i == 0 ? "" : i + 1 == ranking.size() ? tr("html.and") : ", ") + name;
  }
  return out;
}

// Percentiles are rounded half away from zero, in words and in tables alike.
std::string percent_text(double v) { return std::to_string(std::lround(v)); }

// "62nd", "11th", "3rd": a percentile as people say it.
std::string ordinal(double v) {
  const long n = std::lround(v);
  if (current_lang() == Lang::de) return std::to_string(n) + ".";
  const char* suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th"
                       : n % 10 == 1                    ? "st"
                       : n % 10 == 2                    ? "nd"
                       : n % 10 == 3                    ? "rd"
                                                        : "th";
  return std::to_string(n) + suffix;
}

std::string optional_value(const std::optional<double>& v, int decimals) {
  return v ? num(*v, decimals) : "–";
}

std::string signed_value(const std::optional<double>& v, int decimals) {
  if (!v) return "–";
  return (*v > 0 ? "+" : "") + num(*v, decimals);
}

const BenchmarkSection::Row* benchmark_row(const ReportSections& sections, const std::string& id) {
  if (!sections.benchmark) return nullptr;
  for (const auto& r : sections.benchmark->rows) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::string dataset_label(const BenchmarkSection& b) {
  return b.dataset + (b.synthetic ? tr("html.synthetic_dataset") : "");
}

// The role whose share of the respondents moved most, in words: "the
// share of Executive respondents rose from 13% to 50%"; empty when none.
std::string share_move_text(const BalancedChangeRow& b) {
  const BalancedChangeRow::Role* moved = nullptr;
  for (const auto& r : b.roles) {
    if (!moved || std::abs(r.share_after - r.share_before) >
                      std::abs(moved->share_after - moved->share_before))
      moved = &r;
  }
  if (!moved) return "";
  return tr(moved->share_after > moved->share_before ? "html.share_rose" : "html.share_fell",
            {{"role", moved->name},
             {"before", percent_text(moved->share_before * 100)},
             {"after", percent_text(moved->share_after * 100)}});
}

// A change's verdict ("improved", "declined", "no clear change") in the
// report's language.
std::string verdict_text(const std::string& verdict) {
  if (verdict == "improved") return tr("html.verdict.improved");
  if (verdict == "declined") return tr("html.verdict.declined");
  if (verdict == "no clear change") return tr("html.verdict.no_change");
  return verdict;
}

// "improved", "declined" or "shows no clear change".
std::string verdict_phrase(const std::string& verdict) {
  return verdict == "no clear change" ? tr("html.verdict.no_change_phrase") : verdict_text(verdict);
}

// The executive summary's sentence on change. When the change at the same
// mix of roles (SPEC section 3) gives another verdict than the plain one,
// the sentence leads with it and says why the two differ.
void change_summary(Page& page, const ChangeSection& change) {
  const auto& o = change.rows.front();
  const bool differs = o.balanced && !o.verdict.empty() && o.balanced->verdict != o.verdict;
  if (differs) {
    const auto& b = *o.balanced;
    page << "<p>"
         << esc(tr("html.change.differs", {{"since", change.since},
                                           {"verdict", verdict_phrase(b.verdict)},
                                           {"change", signed_value(b.change, 1)},
                                           {"low", optional_value(b.ci_low, 1)},
                                           {"high", optional_value(b.ci_high, 1)},
                                           {"before", optional_value(o.before, 1)},
                                           {"after", optional_value(o.after, 1)},
                                           {"plain_change", signed_value(o.change, 1)},
                                           {"plain_verdict", verdict_text(o.verdict)},
                                           {"shares", share_move_text(b)}}));
  } else {
    page << "<p>"
         << esc(tr("html.change.plain",
                   {{"since", change.since},
                    {"before", optional_value(o.before, 1)},
                    {"after", optional_value(o.after, 1)},
                    {"change", signed_value(o.change, 1)},
                    {"low", optional_value(o.ci_low, 1)},
                    {"high", optional_value(o.ci_high, 1)},
                    {"verdict",
                     o.verdict.empty() ? tr("html.change.too_few") : verdict_text(o.verdict)}}));
    if (o.balanced && o.balanced->flagged) {
      page << " "
           << esc(tr("html.change.flagged_same",
                     {{"shares", share_move_text(*o.balanced)},
                      {"change", signed_value(o.balanced->change, 1)}}));
    }
  }
  // Each competency by the verdict at the same mix of roles where there is one.
  std::string up, down;
  for (std::size_t i = 1; i < change.rows.size(); ++i) {
    const auto& r = change.rows[i];
    const std::string& verdict = r.balanced && !r.verdict.empty() ? r.balanced->verdict : r.verdict;
    if (verdict == "improved") up += (up.empty() ? "" : ", ") + r.name;
    if (verdict == "declined") down += (down.empty() ? "" : ", ") + r.name;
  }
  if (!up.empty()) page << " " << esc(tr("html.change.better", {{"names", up}}));
  if (!down.empty()) page << " " << esc(tr("html.change.worse", {{"names", down}}));
  page << "</p>\n";
}

// The executive summary's sentences on peers and on change, in plain words.
void summary_of_sections(Page& page, const ReportSections& sections) {
  if (const auto* overall = benchmark_row(sections, "overall")) {
    const auto& b = *sections.benchmark;
    page << "<p>"
         << esc(tr("html.peers.summary", {{"peers", std::to_string(overall->peers)},
                                          {"dataset", dataset_label(b)},
                                          {"ordinal", ordinal(overall->percentile)},
                                          {"percent", percent_text(overall->percentile)},
                                          {"q1", fixed(overall->q1, 0)},
                                          {"q3", fixed(overall->q3, 0)},
                                          {"median", fixed(overall->median, 0)}}))
         << "</p>\n";
  }
  if (sections.change && !sections.change->rows.empty()) change_summary(page, *sections.change);
}

void summary(Page& page, const Doc& doc, const ReportContext& ctx) {
  page << "<section>\n<h2>" << esc(tr("html.summary")) << "</h2>\n";
  const std::string who = ctx.organization.empty() ? tr("html.the_organization") : ctx.organization;
  if (doc.stage) {
    const Doc::Stage& stage = *doc.stage;
    page << "<div class=\"verdict\"><strong>"
         << esc(tr("html.stage_of", {{"n", std::to_string(stage.number)},
                                     {"of", std::to_string(doc.stages.size())},
                                     {"name", stage.name}}))
         << "</strong>"
         << (stage.indicative
                 ? " <span class=\"unsure\">(" + esc(tr("evidence.too_few")) + ")</span>"
                 : "")
         << "<br>" << esc(stage.description) << "</div>\n";
    if (const std::string unsure = indicative_sentence(doc); !unsure.empty()) {
      page << "<p class=\"unsure\"><strong>" << esc(tr("html.too_few_sure")) << "</strong> "
           << esc(unsure) << "</p>\n";
    }
    page << "<p>"
         << esc(tr("html.scores_overall", {{"who", who}, {"score", value(doc.overall_score)}}))
         << " ";
    if (!stage.obstacle.empty()) {
      page << esc(tr("html.obstacle")) << " " << esc(stage.obstacle) << "</p>\n";
    } else {
      page << "</p>\n";
    }
  } else {
    page << "<p>" << esc(doc.note) << "</p>\n";
    page << "<p>"
         << esc(tr("html.scores_statements", {{"who", who}, {"score", value(doc.overall_score)}}))
         << "</p>\n";
  }
  if (!doc.strengths.competencies.empty()) {
    page << "<p>"
         << esc(tr("html.strongest_weakest",
                   {{"strongest", names(doc.strengths.competencies, doc.competencies)},
                    {"weakest", names(doc.weaknesses.competencies, doc.competencies)}}))
         << "</p>\n";
  }
  if (doc.next_stage && !doc.next_stage_gaps.empty()) {
    page << "<p>"
         << esc(tr("html.to_reach",
                   {{"n", std::to_string(doc.next_stage->number)}, {"name", doc.next_stage->name}}))
         << "</p>\n<ul>\n";
    std::size_t shown = 0;
    for (const auto& id : doc.next_stage_gaps) {
      if (shown++ == 3) break;
      if (const auto* item = find_statement(doc, id)) {
        page << "<li>" << esc(item->text) << "</li>\n";
      }
    }
    page << "</ul>\n";
  }
  if (const std::string gap = largest_gap_sentence(doc); !gap.empty()) {
    page << "<p><strong>" << esc(gap) << "</strong></p>\n";
  }
  std::size_t disagreement = 0;
  for (const auto& item : doc.items) {
    disagreement += item.agreement == core::AgreementClass::disagreement;
  }
  if (disagreement > 0) {
    page << "<p>"
         << esc(tr(disagreement == 1 ? "html.disagree_one" : "html.disagree_many",
                   {{"n", std::to_string(disagreement)}}))
         << "</p>\n";
  }
  summary_of_sections(page, ctx.sections);
  page << "<p class=\"muted\">" << esc(tr("html.later_stages")) << "</p>\n</section>\n";
}

// The stage ladder: one rising step per stage, the attained ones filled,
// the current one outlined.
void ladder(Page& page, const Doc& doc) {
  const auto& stages = doc.stages;
  if (!doc.stage || stages.empty()) return;
  const int current = doc.stage->number;
  const std::string id = page.next_id();
  const double width = 640, height = 190, gap = 8;
  const double step = (width - gap * (stages.size() - 1)) / stages.size();
  std::string desc = tr("html.ladder.reached",
                        {{"n", std::to_string(current)}, {"of", std::to_string(stages.size())}}) +
                     " ";
  for (const auto& s : stages) {
    desc += s.name + " " + tr(s.attained ? "html.ladder.attained" : "html.ladder.not_attained") +
            (s.score ? " (" + value(s.score) + ")" : "") +
            (s.indicative ? ", " + tr("evidence.too_few") : "") + "; ";
  }
  page << "<section>\n<h2>" << esc(tr("html.ladder.heading"))
       << "</h2>\n<figure>\n<svg viewBox=\"0 0 640 230\" "
          "role=\"img\" aria-labelledby=\""
       << id << "t " << id << "d\"><title id=\"" << id << "t\">" << esc(tr("html.ladder.title"))
       << "</title><desc id=\"" << id << "d\">" << esc(desc) << "</desc>\n";
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const auto& s = stages[i];
    const double h =
        40 + (height - 40) * static_cast<double>(i) / static_cast<double>(stages.size() - 1);
    const double x = static_cast<double>(i) * (step + gap), y = height - h;
    const bool attained = s.attained;
    const bool is_current = s.number == current;
    page << "<rect x=\"" << fixed(x, 1) << "\" y=\"" << fixed(y, 1) << "\" width=\""
         << fixed(step, 1) << "\" height=\"" << fixed(h, 1) << "\" rx=\"4\" fill=\""
         << (attained ? "#0f6b7a" : "#e3e9ee") << "\" stroke=\""
         << (is_current ? "#17202a" : (s.indicative ? "#a33d1e" : "none"))
         << "\" stroke-width=\"3\"" << (s.indicative ? " stroke-dasharray=\"6 4\"" : "") << "/>\n";
    page << "<text x=\"" << fixed(x + step / 2, 1) << "\" y=\"" << fixed(height - 12, 1)
         << "\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"700\" fill=\""
         << (attained ? "#fff" : "#5b6673") << "\">" << std::to_string(s.number) << "</text>\n";
    page << "<text x=\"" << fixed(x + step / 2, 1)
         << "\" y=\"210\" text-anchor=\"middle\" font-size=\"12\" fill=\"#17202a\">" << esc(s.name)
         << "</text>\n";
    if (s.score) {
      page << "<text x=\"" << fixed(x + step / 2, 1)
           << "\" y=\"226\" text-anchor=\"middle\" font-size=\"10.5\" fill=\"#5b6673\">"
           << value(s.score) << "</text>\n";
    }
  }
  bool unsure = false;
  for (const auto& s : stages) unsure = unsure || s.indicative;
  page << "</svg>\n<figcaption>"
       << esc(tr("html.ladder.caption", {{"threshold", value(doc.threshold)}}));
  if (unsure) page << " " << esc(tr("html.ladder.dashed"));
  page << "</figcaption>\n</figure>\n</section>\n";
}

// Statistics in plain words (the figures follow them, small): a
// competency's agreement counted in its statements' bands, Cronbach's
// alpha and Cohen's d in their conventional bands.
std::string competency_agreement_words(const Doc& doc, const std::string& competency) {
  std::size_t rated = 0, agreed = 0, disputed = 0;
  for (const auto& item : doc.items) {
    if (item.competency != competency || !item.agreement) continue;
    ++rated;
    agreed += *item.agreement == core::AgreementClass::agreement ? 1 : 0;
    disputed += *item.agreement == core::AgreementClass::disagreement ? 1 : 0;
  }
  if (rated == 0) return tr("html.agreement.too_few");
  std::string out =
      tr("html.agreement.agreed", {{"n", std::to_string(agreed)}, {"of", std::to_string(rated)}});
  if (disputed > 0) out += ", " + tr("html.agreement.disputed", {{"n", std::to_string(disputed)}});
  return out;
}

std::string consistency_words(const std::optional<double>& alpha) {
  if (!alpha) return tr("html.consistency.none");
  if (*alpha >= 0.8) return tr("html.consistency.consistent");
  if (*alpha >= 0.7) return tr("html.consistency.acceptable");
  if (*alpha >= 0.6) return tr("html.consistency.questionable");
  return tr("html.consistency.inconsistent");
}

std::string effect_words(const std::optional<double>& d) {
  if (!d) return tr("html.effect.unknown");
  const double a = std::abs(*d);
  if (a < 0.2) return tr("html.effect.negligible");
  if (a < 0.5) return tr("html.effect.small");
  if (a < 0.8) return tr("html.effect.medium");
  return tr("html.effect.large");
}

void competencies(Page& page, const Doc& doc, const ReportSections& sections) {
  const auto& list = doc.competencies;
  const std::string id = page.next_id();
  const double row = 30, left = 210, bar = 380;
  const double height = row * static_cast<double>(list.size()) + 30;
  std::string desc;
  bool bands = false;
  for (const auto& c : list) {
    desc += c.name + " " + value(c.score);
    if (const auto* peers = benchmark_row(sections, c.id)) {
      bands = true;
      desc += " (" +
              tr("html.competencies.peers_desc", {{"median", fixed(peers->median, 0)},
                                                  {"q1", fixed(peers->q1, 0)},
                                                  {"q3", fixed(peers->q3, 0)}}) +
              ")";
    }
    desc += "; ";
  }
  page << "<section>\n<h2>" << esc(tr("html.competencies"))
       << "</h2>\n<figure>\n<svg viewBox=\"0 0 640 " << fixed(height, 0)
       << "\" role=\"img\" aria-labelledby=\"" << id << "t " << id << "d\"><title id=\"" << id
       << "t\">" << esc(tr("html.competencies.chart")) << "</title><desc id=\"" << id << "d\">"
       << esc(desc) << "</desc>\n";
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& c = list[i];
    const double y = 8 + row * static_cast<double>(i);
    const double score = c.score ? *c.score : 0;
    page << "<text x=\"" << fixed(left - 8, 0) << "\" y=\"" << fixed(y + 17, 1)
         << "\" text-anchor=\"end\" font-size=\"12\" fill=\"#17202a\">" << esc(c.name)
         << "</text>\n";
    page << "<rect x=\"" << fixed(left, 0) << "\" y=\"" << fixed(y + 4, 1) << "\" width=\""
         << fixed(bar, 0) << "\" height=\"18\" fill=\"#eef2f5\"/>\n";
    if (const auto* peers = benchmark_row(sections, c.id)) {
      // The peers' middle half (Q1 to Q3) as a band behind the bar, their median as a tick.
      page << "<rect x=\"" << fixed(left + bar * peers->q1 / 100, 1) << "\" y=\"" << fixed(y + 1, 1)
           << "\" width=\"" << fixed(bar * std::max(0.0, peers->q3 - peers->q1) / 100, 1)
           << "\" height=\"24\" fill=\"#c9b458\" fill-opacity=\"0.45\"/>\n";
    }
    page << "<rect x=\"" << fixed(left, 0) << "\" y=\"" << fixed(y + 4, 1) << "\" width=\""
         << fixed(bar * score / 100, 1) << "\" height=\"18\" fill=\"#0f6b7a\"/>\n";
    if (const auto* peers = benchmark_row(sections, c.id)) {
      page << "<line x1=\"" << fixed(left + bar * peers->median / 100, 1) << "\" x2=\""
           << fixed(left + bar * peers->median / 100, 1) << "\" y1=\"" << fixed(y, 1) << "\" y2=\""
           << fixed(y + 26, 1) << "\" stroke=\"#17202a\" stroke-width=\"2\"/>\n";
    }
    page << "<text x=\"" << fixed(left + bar + 8, 0) << "\" y=\"" << fixed(y + 17, 1)
         << "\" font-size=\"12\" fill=\"#17202a\">" << value(c.score) << "</text>\n";
  }
  const double threshold_x = left + bar * doc.threshold / 100;
  page << "<line x1=\"" << fixed(threshold_x, 1) << "\" x2=\"" << fixed(threshold_x, 1)
       << "\" y1=\"4\" y2=\"" << fixed(height - 20, 0)
       << "\" stroke=\"#a33d1e\" stroke-dasharray=\"4 3\"/>\n";
  page << "<text x=\"" << fixed(threshold_x, 1) << "\" y=\"" << fixed(height - 6, 0)
       << "\" text-anchor=\"middle\" font-size=\"10\" fill=\"#a33d1e\">"
       << esc(tr("html.threshold", {{"threshold", value(doc.threshold)}})) << "</text>\n";
  page << "</svg>\n";
  if (bands) {
    page << "<figcaption>"
         << esc(tr("html.competencies.bands", {{"dataset", dataset_label(*sections.benchmark)}}))
         << "</figcaption>\n";
  }
  page << "</figure>\n";
  // Targets (server reports): the organization's target stage beside the stage.
  bool targets = false;
  for (const auto& c : list) targets = targets || c.target_stage.has_value();
  targets = targets && doc.stage.has_value();
  page << table_open(list.size()) << "\n<thead><tr><th>" << esc(tr("html.th.competency"))
       << "</th><th class=\"n\">" << esc(tr("html.th.score")) << "</th>"
       << (doc.stage ? "<th>" + esc(tr("html.th.stage")) + "</th>" : "")
       << (targets ? "<th>" + esc(tr("html.th.target")) + "</th>" : "") << "<th>"
       << esc(tr("html.th.agreement")) << "</th><th>" << esc(tr("html.th.consistency"))
       << "</th></tr></thead>\n<tbody>\n";
  for (const auto& c : list) {
    page << "<tr><td>" << esc(c.name) << "</td><td class=\"n\">" << value(c.score) << "</td>";
    if (doc.stage) {
      page << "<td>" << (c.stage ? std::to_string(*c.stage) + " " + esc(c.stage_name) : "–")
           << (c.indicative ? " <span class=\"unsure\">(" + esc(tr("evidence.too_few")) + ")</span>"
                            : "")
           << "</td>";
    }
    if (targets) {
      const bool set = c.target_stage.has_value();
      const bool met = set && c.stage && *c.stage >= *c.target_stage;
      page << "<td>"
           << (set ? esc(tr(met ? "html.target_met" : "html.target",
                            {{"n", std::to_string(*c.target_stage)}}))
                   : "–")
           << "</td>";
    }
    // Plain words first, in the statements' own bands (a competency's
    // r_wg(j) runs higher than its statements' r_wg by construction, so it
    // would contradict them as a headline); the figures after, small.
    page << "<td>" << esc(competency_agreement_words(doc, c.id))
         << " <span class=\"muted\">(r<sub>wg(j)</sub> " << value(c.rwg_j, 2) << ")</span></td><td>"
         << consistency_words(c.alpha) << " <span class=\"muted\">(α " << value(c.alpha, 2)
         << ", n " << std::to_string(c.rwg_j_n) << ")</span></td></tr>\n";
  }
  page << "</tbody>\n</table>\n</section>\n";
}

std::string histogram_text(const Doc::Statement& item, const std::vector<std::string>& labels) {
  std::string out;
  const auto& h = item.histogram;
  for (std::size_t i = 0; i < h.size(); ++i) {
    out += (i ? " · " : "") + (i < labels.size() ? labels[i] : std::to_string(i + 1)) + " " +
           std::to_string(h[i]);
  }
  return out;
}

void agreement(Page& page, const Doc& doc) {
  page << "<section>\n<h2>" << esc(tr("html.agreement.heading")) << "</h2>\n";
  std::vector<const Doc::Statement*> split;
  for (const auto& item : doc.items) {
    if (item.agreement == core::AgreementClass::disagreement) split.push_back(&item);
  }
  if (split.empty()) {
    page << "<p>" << esc(tr("html.agreement.none")) << "</p>\n";
  } else {
    page << "<p>" << esc(tr("html.agreement.intro")) << "</p>\n"
         << table_open(split.size()) << "\n<thead><tr><th>" << esc(tr("html.th.statement"))
         << "</th><th>" << esc(tr("html.th.agreement")) << "</th><th>" << esc(tr("html.th.answers"))
         << "</th></tr></thead>\n<tbody>\n";
    for (const Doc::Statement* item : split) {
      page << "<tr><td>" << esc(item->text) << "</td><td>"
           << esc(tr(item->bimodal ? "html.agreement.camps" : "html.agreement.disagreement"))
           << " <span class=\"muted\">(r<sub>wg</sub> " << value(item->rwg, 2) << ", "
           << esc(tr("html.mean")) << " " << value(item->mean, 1)
           << ")</span></td><td class=\"muted\">" << esc(histogram_text(*item, doc.scale.labels))
           << "</td></tr>\n";
    }
    page << "</tbody>\n</table>\n";
  }
  if (!doc.gaps.empty()) {
    page << "<h3>" << esc(tr("html.gaps.heading")) << "</h3>\n"
         << table_open(doc.gaps.size()) << "\n<thead><tr><th>" << esc(tr("html.th.between"))
         << "</th><th class=\"n\">" << esc(tr("html.th.difference")) << "</th><th>"
         << esc(tr("html.th.size")) << "</th><th class=\"n\">" << esc(tr("html.th.interval"))
         << "</th></tr></thead>\n<tbody>\n";
    for (const auto& g : doc.gaps) {
      const Doc::Difference& o = g.overall;
      page << "<tr><td>" << esc(segment_display_name(doc, g.segment, g.a)) << esc(tr("html.and"))
           << esc(segment_display_name(doc, g.segment, g.b)) << "</td><td class=\"n\">"
           << value(o.difference, 1) << "</td><td>" << effect_words(o.cohens_d)
           << " <span class=\"muted\">(Cohen's d " << value(o.cohens_d, 2)
           << ")</span></td><td class=\"n\">" << value(o.ci_low, 1) << esc(tr("html.to"))
           << value(o.ci_high, 1) << "</td></tr>\n";
    }
    page << "</tbody>\n</table>\n";
  }
  page << "</section>\n";
}

// Actions of the model's library against the key obstacle of the stage reached.
void obstacle_actions(Page& page, const std::vector<Doc::Action>& actions) {
  if (actions.empty()) return;
  page << "<h3>" << esc(tr("html.actions.heading")) << "</h3>\n<ul>\n";
  for (const auto& a : actions) {
    page << "<li><strong>" << esc(a.title) << ".</strong> " << esc(a.detail);
    if (!a.owner.empty())
      page << " <span class=\"muted\">" << esc(tr("html.actions.owner", {{"owner", a.owner}}))
           << "</span>";
    if (!a.success_measure.empty()) {
      page << " <span class=\"muted\">" << esc(tr("html.actions.worked")) << " "
           << esc(a.success_measure) << "</span>";
    }
    page << "</li>\n";
  }
  page << "</ul>\n";
}

// Beside a statement worded in reverse, whose score is reversed.
std::string reverse_note(const Doc::Statement& item) {
  return item.reverse ? " <span class=\"muted\">(" + esc(tr("html.reversed")) + ")</span>" : "";
}

void next_stage(Page& page, const Doc& doc) {
  if (!doc.next_stage || doc.next_stage_gaps.empty()) return;
  page << "<section>\n<h2>" << esc(tr("html.next.heading")) << "</h2>\n<p>"
       << esc(tr("html.next.intro",
                 {{"n", std::to_string(doc.next_stage->number)}, {"name", doc.next_stage->name}}))
       << "</p>\n"
       << table_open(doc.next_stage_gaps.size()) << "\n<thead><tr><th>"
       << esc(tr("html.th.statement")) << "</th><th class=\"n\">" << esc(tr("html.th.score"))
       << "</th></tr></thead>\n<tbody>\n";
  for (const auto& id : doc.next_stage_gaps) {
    if (const auto* item = find_statement(doc, id)) {
      page << "<tr><td>" << esc(item->text) << reverse_note(*item) << "</td><td class=\"n\">"
           << value(item->score) << "</td></tr>\n";
    }
  }
  page << "</tbody>\n</table>\n";
  if (doc.stage) obstacle_actions(page, doc.stage->obstacle_actions);
  page << "</section>\n";
}

// People in a group: the count, or "fewer than k" where the server hid it.
std::string group_people_text(const Doc::Segment& s) {
  if (!s.respondents)
    return tr("html.fewer_than", {{"k", std::to_string(s.fewer_than.value_or(0))}});
  std::string text = std::to_string(*s.respondents);
  if (s.imported && *s.imported > 0)
    text += " (" + tr("html.imported_n", {{"n", std::to_string(*s.imported)}}) + ")";
  return text;
}

void groups(Page& page, const Doc& doc, std::size_t& hidden) {
  if (doc.segments.role.empty() && doc.segments.unit.empty()) return;
  page << "<section>\n<h2>" << esc(tr("html.groups")) << "</h2>\n";
  for (const auto& [segments, title] : {std::pair{&doc.segments.role, tr("html.groups.by_role")},
                                        std::pair{&doc.segments.unit, tr("html.groups.by_unit")}}) {
    if (segments->empty()) continue;
    page << "<h3>" << esc(title) << "</h3>\n"
         << table_open(segments->size()) << "\n<thead><tr><th>" << esc(tr("html.th.group"))
         << "</th><th class=\"n\">" << esc(tr("html.th.people")) << "</th><th class=\"n\">"
         << esc(tr("html.th.overall")) << "</th>"
         << "<th>" << (doc.stage ? esc(tr("html.th.stage")) : "")
         << "</th></tr></thead>\n<tbody>\n";
    for (const auto& s : *segments) {
      page << "<tr><td>" << esc(s.name) << "</td><td class=\"n\">" << esc(group_people_text(s))
           << "</td>";
      if (s.suppressed) {
        ++hidden;
        page << "<td colspan=\"2\" class=\"muted\">" << esc(hidden_text(s.reason))
             << "</td></tr>\n";
      } else {
        page << "<td class=\"n\">" << value(s.overall_score) << "</td><td>"
             << (s.stage ? std::to_string(*s.stage) + " " + esc(s.stage_name) : "")
             << "</td></tr>\n";
      }
    }
    page << "</tbody>\n</table>\n";
  }
  page << "</section>\n";
}

// The silo score (SPEC section 3): what it means, everyone's and each
// shown unit's (the document names no hidden unit), and the units' spread.
void silo_section(Page& page, const Doc& doc) {
  if (!doc.silo) return;
  page << "<section>\n<h2>" << esc(tr("html.th.silo")) << "</h2>\n<p>" << esc(silo_sentence(doc))
       << "</p>\n";
  if (!doc.silo->units.empty()) {
    // How many silo statements each unit's figure rests on (the evidence
    // rule inside the unit), when the document says.
    const auto total = static_cast<long long>(doc.silo->statements.size());
    page << table_open(doc.silo->units.size()) << "\n<thead><tr><th>" << esc(tr("html.th.unit"))
         << "</th><th class=\"n\">" << esc(tr("html.th.silo")) << "</th><th class=\"n\">"
         << esc(tr("html.th.counted")) << "</th></tr></thead>\n<tbody>\n";
    for (const auto& u : doc.silo->units) {
      page << "<tr><td>" << esc(u.name) << "</td><td class=\"n\">" << value(u.score)
           << "</td><td class=\"n\">"
           << (u.counted ? tr("html.n_of",
                              {{"n", std::to_string(*u.counted)}, {"of", std::to_string(total)}})
                         : "–")
           << "</td></tr>\n";
    }
    page << "</tbody>\n</table>\n";
  }
  if (const std::string spread = silo_spread_sentence(doc); !spread.empty()) {
    page << "<p>" << esc(spread) << "</p>\n";
  }
  page << "</section>\n";
}

// Outside-in (SPEC section 4.10): the customers' figures for the cycle's
// period with their change and respondents, the delivery gap of everyone
// and of each shown unit as paired bars on 0..100, and the caveat.
void outside_in_section(Page& page, const Doc& doc) {
  if (!doc.outside_in) return;
  const auto& o = *doc.outside_in;
  auto gap_row = [&](const std::string& metric,
                     const std::string& unit) -> const Doc::DeliveryGapRow* {
    for (const auto& r : o.rows) {
      if (r.metric == metric && r.unit == unit) return &r;
    }
    return nullptr;
  };
  page << "<section class=\"outside-in\">\n<h2>" << esc(tr("html.outside_in")) << "</h2>\n<p>"
       << esc(outside_in_period_sentence(o)) << " "
       << esc(o.gap_reason.empty() ? delivery_gap_explanation(o)
                                   : tr("html.oi.no_gap", {{"reason", o.gap_reason}}))
       << "</p>\n";
  for (const auto& m : o.metrics) {
    std::vector<std::string> sources;
    for (const auto& f : m.figures) {
      if (std::find(sources.begin(), sources.end(), f.source) == sources.end())
        sources.push_back(f.source);
    }
    std::string since;
    for (const auto& f : m.figures) {
      if (f.change && !f.since_cycle.empty()) since = f.since_cycle;
    }
    page << "<h3>" << esc(m.name)
         << (m.synthetic ? " <span class=\"tag\">" + esc(tr("html.oi.synthetic")) + "</span>" : "")
         << "</h3>\n<p class=\"muted\">" << esc(m.definition) << " "
         << esc(tr("html.oi.scale", {{"min", metric_value_text(m.scale_min)},
                                     {"max", metric_value_text(m.scale_max)}}));
    for (std::size_t i = 0; i < sources.size(); ++i)
      page << (i == 0 ? " " + esc(tr("html.oi.source")) + " " : "; ") << esc(sources[i]);
    if (!since.empty()) page << ". " << esc(tr("html.oi.since", {{"cycle", since}}));
    page << ".</p>\n";
    if (!m.figures.empty()) {
      page << table_open(m.figures.size()) << "\n<thead><tr><th>" << esc(tr("html.th.group"))
           << "</th><th>" << esc(tr("html.th.period")) << "</th><th class=\"n\">"
           << esc(tr("html.th.figure_n")) << "</th><th>" << esc(tr("html.th.change"))
           << "</th><th class=\"n\">" << esc(tr("html.th.own_view")) << "</th><th class=\"n\">"
           << esc(tr("html.th.gap")) << "</th></tr></thead>\n<tbody>\n";
      for (const auto& f : m.figures) {
        const Doc::DeliveryGapRow* g = gap_row(m.metric, f.unit);
        std::string change = f.change_note.empty() ? "–" : f.change_note;
        if (f.change)
          change = tr("html.oi.change",
                      {{"change", (*f.change > 0 ? "+" : "") + metric_value_text(*f.change)},
                       {"period", f.since_period}});
        page << "<tr><td>" << esc(outside_in_group(f.unit)) << "</td><td class=\"nowrap\">"
             << esc(f.period) << "</td><td class=\"n\">" << esc(metric_value_text(f.value)) << " ("
             << std::to_string(f.respondents) << ")</td><td class=\"nowrap\">" << esc(change)
             << "</td><td class=\"n\">";
        if (g) {
          page << value(g->own) << " (" << std::to_string(g->own_respondents) << ")";
        } else {
          page << "–";
        }
        page << "</td><td class=\"n\">";
        if (g && g->gap) {
          const double points = std::round(*g->gap);
          page << (points > 0 ? "+" : "") << fixed(points, 0);
        } else {
          page << "–";
        }
        page << "</td></tr>\n";
      }
      page << "</tbody>\n</table>\n";
    }
    for (const auto& x : m.missing) {
      page << "<p class=\"muted\">" << esc(outside_in_group(x.unit)) << ": " << esc(x.reason)
           << ".</p>\n";
    }
    if (m.figures.empty() && m.missing.empty() && !m.reason.empty())
      page << "<p class=\"muted\">" << esc(m.reason) << ".</p>\n";
  }
  if (o.gap_reason.empty() && !o.rows.empty()) {
    // Paired bars: the organization's own view above the customers' figure.
    const std::string id = page.next_id();
    const double row_h = 30, label_w = 210, bar_w = 330;
    const double height = row_h * static_cast<double>(o.rows.size()) + 16;
    std::string desc;
    for (const auto& r : o.rows) {
      desc += outside_in_group(r.unit) + " (" + outside_in_metric_name(o, r.metric) + "): " +
              tr("html.oi.desc", {{"own", value(r.own)}, {"customers", value(r.customers)}}) +
              ", " + gap_text(r) + "; ";
    }
    page << "<figure>\n<svg viewBox=\"0 0 640 " << fixed(height, 0)
         << "\" role=\"img\" aria-labelledby=\"" << id << "t " << id << "d\"><title id=\"" << id
         << "t\">" << esc(tr("html.oi.gap_title")) << "</title><desc id=\"" << id << "d\">"
         << esc(desc) << "</desc>\n";
    for (std::size_t i = 0; i < o.rows.size(); ++i) {
      const auto& r = o.rows[i];
      const double y = static_cast<double>(i) * row_h + 2;
      page << "<text x=\"0\" y=\"" << fixed(y + 11, 1) << "\" font-size=\"10.5\" fill=\"#17202a\">"
           << esc(outside_in_group(r.unit)) << "</text>\n<text x=\"0\" y=\"" << fixed(y + 23, 1)
           << "\" font-size=\"9\" fill=\"#5b6673\">" << esc(outside_in_metric_name(o, r.metric))
           << "</text>\n";
      auto bar = [&](double top, const std::optional<double>& v, const char* fill,
                     const std::string& label) {
        const double w = v ? std::clamp(*v, 0.0, 100.0) / 100.0 * bar_w : 0;
        page << "<rect x=\"" << fixed(label_w, 1) << "\" y=\"" << fixed(top, 1) << "\" width=\""
             << fixed(bar_w, 1) << "\" height=\"10\" fill=\"#e3e9ee\"/>\n<rect x=\""
             << fixed(label_w, 1) << "\" y=\"" << fixed(top, 1) << "\" width=\"" << fixed(w, 1)
             << "\" height=\"10\" fill=\"" << fill << "\"/>\n<text x=\""
             << fixed(label_w + bar_w + 6, 1) << "\" y=\"" << fixed(top + 9, 1)
             << "\" font-size=\"9.5\" fill=\"#17202a\">" << esc(label) << " " << value(v)
             << "</text>\n";
      };
      bar(y + 3, r.own, "#0f6b7a", tr("html.oi.own"));
      bar(y + 15, std::optional<double>(r.customers), "#a33d1e", tr("html.oi.customers"));
    }
    page << "<text x=\"" << fixed(label_w, 1) << "\" y=\"" << fixed(height - 2, 1)
         << "\" font-size=\"9\" fill=\"#5b6673\">0</text><text x=\"" << fixed(label_w + bar_w, 1)
         << "\" y=\"" << fixed(height - 2, 1)
         << "\" text-anchor=\"end\" font-size=\"9\" fill=\"#5b6673\">100</text>\n";
    page << "</svg>\n<figcaption>" << esc(tr("html.oi.caption")) << "</figcaption>\n</figure>\n";
  }
  for (const auto& h : o.hidden) {
    page << "<p class=\"muted\">" << esc(outside_in_group(h.unit)) << " ("
         << esc(outside_in_metric_name(o, h.metric)) << "): " << esc(tr("html.oi.no_gap_short"))
         << ", " << esc(h.reason) << ".</p>\n";
  }
  for (const auto& r : o.rows) {
    if (!r.own)
      page << "<p class=\"muted\">" << esc(outside_in_group(r.unit)) << " ("
           << esc(outside_in_metric_name(o, r.metric)) << "): " << esc(tr("html.oi.no_own")) << ", "
           << esc(r.reason) << ".</p>\n";
  }
  page << "<p class=\"caveat\">" << esc(o.caveat) << "</p>\n";
  page << "</section>\n";
}

// How the evidence rule and reversed statements enter the scores.
void methods_of_evidence(Page& page, const Doc& doc) {
  bool reversed = false;
  for (const auto& item : doc.items) reversed = reversed || item.reverse;
  if (reversed) {
    page << "<p>" << esc(tr("html.methods.reversed")) << "</p>\n";
  }
  if (doc.stage && doc.answers_to_count) {
    page << "<p>"
         << esc(tr("html.methods.evidence", {{"n", std::to_string(*doc.answers_to_count)}}))
         << "</p>\n";
  }
}

void peers_section(Page& page, const ReportSections& sections) {
  if (!sections.benchmark) return;
  const auto& b = *sections.benchmark;
  page << "<section>\n<h2>" << esc(tr("html.peers")) << "</h2>\n";
  if (b.synthetic) {
    page << "<p><span class=\"tag\">" << esc(tr("html.peers.synthetic_tag")) << "</span> "
         << esc(tr("html.peers.synthetic")) << "</p>\n";
  }
  if (b.rows.empty()) {
    page << "<p>" << esc(b.withheld) << "</p>\n";
  } else {
    page << "<p>" << esc(tr("html.peers.intro")) << "</p>\n"
         << table_open(b.rows.size()) << "\n<thead><tr><th></th><th class=\"n\">"
         << esc(tr("html.th.score")) << "</th><th class=\"n\">" << esc(tr("html.th.percentile"))
         << "</th><th class=\"n\">" << esc(tr("html.th.peer_median")) << "</th><th class=\"n\">"
         << esc(tr("html.th.peer_middle")) << "</th><th class=\"n\">" << esc(tr("html.th.peers"))
         << "</th></tr></thead>\n<tbody>\n";
    for (const auto& r : b.rows) {
      page << "<tr><td>" << esc(r.name) << "</td><td class=\"n\">" << fixed(r.score, 0)
           << "</td><td class=\"n\">" << percent_text(r.percentile) << "</td><td class=\"n\">"
           << fixed(r.median, 0) << "</td><td class=\"n\">" << fixed(r.q1, 0) << esc(tr("html.to"))
           << fixed(r.q3, 0) << "</td><td class=\"n\">" << std::to_string(r.peers)
           << "</td></tr>\n";
    }
    page << "</tbody>\n</table>\n";
  }
  page << "<p class=\"muted\">" << esc(tr("html.peers.dataset", {{"name", b.dataset}}));
  if (!b.source.empty()) page << ". " << esc(tr("html.peers.source", {{"source", b.source}}));
  if (!b.citation.empty()) page << ". " << esc(tr("html.peers.cite", {{"citation", b.citation}}));
  if (!b.licence.empty()) page << ". " << esc(tr("html.peers.licence", {{"licence", b.licence}}));
  if (!b.published_on.empty())
    page << ". " << esc(tr("html.peers.published", {{"date", b.published_on}}));
  page << ".</p>\n</section>\n";
}

// A row's change at the same mix of roles: "−0.6 (−5.9 to 4.8): no clear
// change", or a dash.
std::string balanced_cell(const ChangeSection::Row& r) {
  if (!r.balanced) return "–";
  const auto& b = *r.balanced;
  return signed_value(b.change, 1) + " (" + optional_value(b.ci_low, 1) + esc(tr("html.to")) +
         optional_value(b.ci_high, 1) + "): " + esc(verdict_text(b.verdict));
}

void change_section(Page& page, const ReportSections& sections) {
  if (!sections.change) return;
  const auto& c = *sections.change;
  page << "<section>\n<h2>" << esc(tr("html.change.heading", {{"since", c.since}})) << "</h2>\n";
  if (c.stage_before && c.stage_after) {
    page << "<p>"
         << esc(tr("html.change.stages", {{"before", std::to_string(*c.stage_before)},
                                          {"after", std::to_string(*c.stage_after)}}))
         << "</p>\n";
  }
  page << "<p>" << esc(tr("html.change.method"))
       << "</p>\n"
       // Wider than a phone: it scrolls on its own, not the page.
       << "<div style=\"overflow-x: auto\">" << table_open(c.rows.size())
       << "\n<thead><tr><th></th><th class=\"n\">" << esc(tr("html.th.before"))
       << "</th><th class=\"n\">" << esc(tr("html.th.now")) << "</th><th class=\"n\">"
       << esc(tr("html.th.change")) << "</th><th class=\"n\">" << esc(tr("html.th.interval"))
       << "</th><th>" << esc(tr("html.th.verdict")) << "</th><th>" << esc(tr("html.th.same_mix"))
       << "</th></tr></thead>\n<tbody>\n";
  for (const auto& r : c.rows) {
    page << "<tr><td>" << esc(r.name) << "</td><td class=\"n\">" << optional_value(r.before, 1)
         << "</td><td class=\"n\">" << optional_value(r.after, 1) << "</td><td class=\"n\">"
         << signed_value(r.change, 1) << "</td><td class=\"n\">" << optional_value(r.ci_low, 1)
         << esc(tr("html.to")) << optional_value(r.ci_high, 1) << "</td><td>"
         << esc(r.verdict.empty() ? "–" : verdict_text(r.verdict)) << "</td><td>"
         << balanced_cell(r)
         << (r.balanced && r.balanced->flagged
                 ? " <span class=\"tag\">" + esc(tr("html.change.flagged")) + "</span>"
                 : "")
         << "</td></tr>\n";
  }
  page << "</tbody>\n</table>\n</div>\n";
  const auto& o = c.rows.front();
  if (o.balanced && !o.balanced->roles.empty()) {
    page << "<h3>" << esc(tr("html.change.shares")) << "</h3>\n"
         << table_open(o.balanced->roles.size()) << "\n<thead><tr><th>" << esc(tr("html.th.role"))
         << "</th><th class=\"n\">" << esc(tr("html.th.share_before")) << "</th><th class=\"n\">"
         << esc(tr("html.th.share_now")) << "</th></tr></thead>\n<tbody>\n";
    for (const auto& r : o.balanced->roles) {
      page << "<tr><td>" << esc(r.name) << "</td><td class=\"n\">"
           << percent_text(r.share_before * 100) << "%</td><td class=\"n\">"
           << percent_text(r.share_after * 100) << "%</td></tr>\n";
    }
    page << "</tbody>\n</table>\n";
  } else if (!o.balanced_note.empty()) {
    page << "<p class=\"muted\">" << esc(o.balanced_note) << "</p>\n";
  }
  // Why each row is flagged; rows flagged for the same reason together.
  std::vector<std::pair<std::string, std::vector<std::string>>> reasons;
  for (const auto& r : c.rows) {
    if (!r.balanced || !r.balanced->flagged || r.balanced->reason.empty()) continue;
    auto it = std::find_if(reasons.begin(), reasons.end(),
                           [&](const auto& e) { return e.first == r.balanced->reason; });
    if (it == reasons.end()) it = reasons.insert(reasons.end(), {r.balanced->reason, {}});
    it->second.push_back(r.name);
  }
  if (!reasons.empty()) {
    page << "<p>" << esc(tr("html.change.flagged_list")) << "</p>\n<ul>\n";
    for (const auto& [reason, names] : reasons) {
      std::string who;
      if (names.size() == c.rows.size() && names.size() > 1) {
        who = tr("html.change.all");
      } else {
        for (std::size_t i = 0; i < names.size(); ++i)
          who += (i == 0 ? "" : i + 1 == names.size() ? tr("html.and") : ", ") + names[i];
      }
      page << "<li>" << esc(who) << ": " << esc(reason) << "</li>\n";
    }
    page << "</ul>\n";
  }
  page << "</section>\n";
}

void plan_section(Page& page, const ReportSections& sections) {
  if (!sections.actions || sections.actions->empty()) return;
  page << "<section>\n<h2>" << esc(tr("html.plan")) << "</h2>\n"
       << table_open(sections.actions->size()) << "\n<thead><tr><th>" << esc(tr("html.th.action"))
       << "</th><th>" << esc(tr("html.th.owner")) << "</th><th class=\"nowrap\">"
       << esc(tr("html.th.due")) << "</th><th class=\"nowrap\">" << esc(tr("html.th.status"))
       << "</th></tr></thead>\n<tbody>\n";
  for (const auto& a : *sections.actions) {
    page << "<tr><td>" << esc(a.title) << "</td><td>" << esc(a.owner.empty() ? "–" : a.owner)
         << "</td><td class=\"nowrap\">" << esc(a.due.empty() ? "–" : a.due)
         << "</td><td class=\"nowrap\">" << esc(status_text(a.status)) << "</td></tr>\n";
  }
  page << "</tbody>\n</table>\n</section>\n";
}

void decisions_section(Page& page, const ReportSections& sections) {
  if (!sections.decisions || sections.decisions->empty()) return;
  page << "<section>\n<h2>" << esc(tr("html.decisions")) << "</h2>\n<p>"
       << esc(tr("html.decisions.intro")) << "</p>\n"
       << table_open(sections.decisions->size()) << "\n<thead><tr><th>"
       << esc(tr("html.th.statement")) << "</th><th>" << esc(tr("html.th.decision")) << "</th><th>"
       << esc(tr("html.th.note")) << "</th></tr></thead>\n<tbody>\n";
  for (const auto& d : *sections.decisions) {
    page << "<tr><td>" << esc(d.statement.empty() ? d.item_id : d.statement) << "</td><td>"
         << (d.decision ? std::to_string(*d.decision) +
                              (d.decision_label.empty() ? "" : " " + esc(d.decision_label))
                        : "–")
         << "</td><td>" << esc(d.note) << "</td></tr>\n";
  }
  page << "</tbody>\n</table>\n</section>\n";
}

// Issue 23: the live workshop's before and after, per statement asked
// again: in plain words, with the means and agreement (rwg) behind them; a
// hidden statement says why.
void workshop_section(Page& page, const ReportSections& sections) {
  if (!sections.workshop || sections.workshop->empty()) return;
  page << "<section>\n<h2>" << esc(tr("html.workshop")) << "</h2>\n<p>"
       << esc(tr("html.workshop.intro")) << "</p>\n<table>\n<thead><tr><th>"
       << esc(tr("html.th.statement")) << "</th><th>" << esc(tr("html.th.before_after"))
       << "</th><th class=\"n\">" << esc(tr("html.th.mean")) << "</th><th class=\"n\">"
       << esc(tr("html.th.agreement_rwg")) << "</th></tr></thead>\n<tbody>\n";
  for (const auto& r : *sections.workshop) {
    page << "<tr><td>" << esc(r.statement);
    if (!r.competency.empty())
      page << "<br><span class=\"muted\">" << esc(r.competency) << "</span>";
    page << "</td>";
    if (!r.hidden.empty()) {
      page << "<td colspan=\"3\">" << esc(tr("html.not_shown", {{"reason", r.hidden}}))
           << "</td></tr>\n";
      continue;
    }
    page << "<td>" << esc(r.words) << "</td><td class=\"n\">" << optional_value(r.mean_before, 1)
         << " → " << optional_value(r.mean_after, 1) << "</td><td class=\"n\">"
         << optional_value(r.rwg_before, 2) << " → " << optional_value(r.rwg_after, 2)
         << "</td></tr>\n";
  }
  page << "</tbody>\n</table>\n</section>\n";
}

// What respondents wrote (SPEC section 4.9), per competency, only where
// it may be shown (the score document holds nothing else); a competency
// whose comments are withheld says why. Never beside a role or unit.
void comments_section(Page& page, const Doc& doc) {
  if (doc.comments.empty()) return;
  page << "<section class=\"comments\">\n<h2>" << esc(tr("html.comments")) << "</h2>\n<p>"
       << esc(tr("html.comments.intro")) << "</p>\n";
  for (const auto& c : doc.comments) {
    page << "<h3>" << esc(c.name) << "</h3>\n";
    if (!c.question.empty()) page << "<p class=\"muted\">" << esc(c.question) << "</p>\n";
    if (!c.withheld.empty()) {
      page << "<p>" << esc(tr("html.not_shown", {{"reason", c.withheld}})) << "</p>\n";
      continue;
    }
    if (c.texts.empty() && c.hidden_reasons.empty()) {
      page << "<p>" << esc(tr("html.comments.none")) << "</p>\n";
      continue;
    }
    page << "<ul>\n";
    for (const auto& t : c.texts) {
      std::string html = esc(t);
      for (std::size_t at = 0; (at = html.find('\n', at)) != std::string::npos;)
        html.replace(at, 1, "<br>");
      page << "<li>" << html << "</li>\n";
    }
    for (const auto& reason : c.hidden_reasons)
      page << "<li class=\"muted\">" << esc(tr("html.comments.hidden", {{"reason", reason}}))
           << "</li>\n";
    page << "</ul>\n";
  }
  page << "</section>\n";
}

// Published figures about maturity in general, cited: context to read the
// verdict against, never a comparison with peers.
void context_section(Page& page, const Doc& doc) {
  if (!doc.stage) return;
  page << "<section>\n<h2>" << esc(tr("html.context")) << "</h2>\n<p>"
       << esc(tr("html.context.intro")) << "</p>\n<table>\n<thead><tr><th>"
       << esc(tr("html.th.finding")) << "</th><th class=\"n\">" << esc(tr("html.th.figure"))
       << "</th><th class=\"source\">" << esc(tr("html.th.source"))
       << "</th></tr></thead>\n<tbody>\n";
  for (const auto& f : reference_figures()) {
    page << "<tr><td>" << esc(f.statement);
    if (!f.note.empty()) page << " <span class=\"muted\">(" << esc(f.note) << ")</span>";
    page << "</td><td class=\"figure\">" << esc(f.value) << "</td><td class=\"muted\">"
         << esc(citation_of(f)) << "</td></tr>\n";
  }
  page << "</tbody>\n</table>\n</section>\n";
}

// What the scores are and what was left out: model, respondents, scope.
void methods_of_scoring(Page& page, const Doc& doc, const ReportContext& ctx) {
  const Doc::Scale& scale = doc.scale;
  page << "<section>\n<h2>" << esc(tr("html.methods")) << "</h2>\n<p>"
       << esc(tr("html.methods.model", {{"title", doc.model.title},
                                        {"version", doc.model.version},
                                        {"id", doc.model.id},
                                        {"n", std::to_string(doc.items.size())},
                                        {"min", std::to_string(scale.min)},
                                        {"min_label", scale.labels.front()},
                                        {"max", std::to_string(scale.max)},
                                        {"max_label", scale.labels.back()}}))
       << "</p>\n";
  page << "<p>"
       << esc(tr("html.methods.respondents", {{"n", std::to_string(doc.respondents)},
                                              {"answering", std::to_string(doc.answering)}}));
  if (ctx.invited && *ctx.invited > 0) {
    page << esc(tr("html.methods.rate",
                   {{"rate", fixed(100.0 * static_cast<double>(doc.respondents) / *ctx.invited, 0)},
                    {"invited", std::to_string(*ctx.invited)}}));
  }
  page << ".";
  if (ctx.imported > 0) {
    page << " "
         << esc(tr(ctx.imported == 1 ? "html.methods.imported_one" : "html.methods.imported_many",
                   {{"n", std::to_string(ctx.imported)}}));
  }
  if (!doc.languages.empty() || !doc.languages_note.empty()) {
    std::string used;
    for (const auto& [lang, n] : doc.languages) {
      used += (used.empty() ? "" : ", ") + language_name(current_lang(), lang) + " " +
              std::to_string(n);
    }
    page << " "
         << esc(used.empty() ? tr("html.methods.languages_none")
                             : tr("html.methods.languages", {{"languages", used}}));
    if (!doc.languages_note.empty()) page << " " << esc(doc.languages_note);
  }
  page << "</p>\n";
  page << "<p>" << esc(tr("html.methods.scores")) << " ";
  if (doc.stage) {
    page << esc(tr("html.methods.stage", {{"threshold", value(doc.threshold)}})) << "</p>\n";
  } else {
    page << esc(tr("html.methods.pulse")) << "</p>\n";
  }
  if (doc.stage_rollup) {
    page << "<p>" << esc(tr("html.methods.rollup")) << " " << esc(doc.stage_rollup->statement)
         << "</p>\n";
  }
  if (!doc.out_of_scope.empty()) {
    page << "<p>"
         << esc(tr(
                doc.out_of_scope.size() == 1 ? "html.methods.scope_one" : "html.methods.scope_many",
                {{"n", std::to_string(doc.out_of_scope.size())}}))
         << "</p>\n<ul>\n";
    for (const auto& x : doc.out_of_scope) {
      page << "<li>" << esc(x.id) << " " << esc(x.text) << " — " << esc(x.reason) << "</li>\n";
    }
    page << "</ul>\n";
  }
}

// How agreement is measured and which groups anonymity hides.
void methods_of_agreement(Page& page, const Doc& doc, const ReportContext& ctx,
                          std::size_t hidden) {
  page << "<p>" << tr("html.methods.agreement") << "</p>\n";
  page << "<p>" << esc(tr("html.methods.anonymity", {{"k", std::to_string(doc.min_group_size)}}));
  if (ctx.anonymous) page << esc(tr("html.methods.anonymity_subtraction"));
  page << ". "
       << esc(tr(hidden == 1 ? "html.methods.hidden_one" : "html.methods.hidden_many",
                 {{"n", std::to_string(hidden)}}));
  if (doc.anonymity) {
    page << " "
         << esc(tr("html.methods.releases", {{"k", std::to_string(doc.min_group_size)},
                                             {"held", std::to_string(doc.anonymity->held_back)}}));
  }
  page << "</p>\n</section>\n";
}

}  // namespace

RenderResult render_html(const ScoreDocument& doc, const ReportContext& context) {
  const TextScope words(context.lang);
  Page page((context.organization.empty() ? std::string() : context.organization + " – ") +
                tr("html.title"),
            footer_line(context));
  cover(page, doc, context);
  summary(page, doc, context);
  ladder(page, doc);
  competencies(page, doc, context.sections);
  peers_section(page, context.sections);
  change_section(page, context.sections);
  agreement(page, doc);
  next_stage(page, doc);
  std::size_t hidden = 0;
  groups(page, doc, hidden);
  silo_section(page, doc);
  outside_in_section(page, doc);
  decisions_section(page, context.sections);
  workshop_section(page, context.sections);
  comments_section(page, doc);
  plan_section(page, context.sections);
  context_section(page, doc);
  methods_of_scoring(page, doc, context);
  methods_of_evidence(page, doc);
  methods_of_agreement(page, doc, context, hidden);
  return {page.finish(), ""};
}

RenderResult render_html(std::string_view score_json, const ReportContext& context) {
  const ScoreDocumentReading reading = read_score_document(score_json);
  if (!reading.document) return {"", reading_error(reading, "not a complete score document: ")};
  return render_html(*reading.document, context);
}

std::string render_html_notice(const ReportContext& context, const std::string& reason,
                               const std::string& title) {
  const TextScope words(context.lang);
  Page page(tr("html.title"), footer_line(context));
  page << "<section class=\"notice\">\n<h1>" << esc(title.empty() ? tr("notice.none") : title)
       << "</h1>\n";
  if (!context.cycle.empty()) {
    page << "<p><strong>" << esc(context.cycle)
         << (context.filter.empty() ? "" : " · " + esc(context.filter)) << "</strong></p>\n";
  }
  std::string sentence = reason;
  if (!sentence.empty() && sentence[0] >= 'a' && sentence[0] <= 'z') {
    sentence[0] = static_cast<char>(sentence[0] - 'a' + 'A');
  }
  if (!sentence.empty() && sentence.back() != '.') sentence += '.';
  page << "<p>" << esc(sentence) << "</p>\n</section>\n";
  return page.finish();
}

}  // namespace cxm::report
