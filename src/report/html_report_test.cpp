#include "report/html_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "core/cycle_scoring.h"
#include "core/forms.h"
#include "core/synthetic.h"
#include "model/model_parser.h"
#include "report/reference_figures.h"
#include "report/score_document.h"

namespace cxm::report {
namespace {

using nlohmann::json;

// A scored cycle of the default model with synthetic answers.
std::string scored(std::size_t people = 60) {
  const auto model = *model::load_default_model().model;
  core::SyntheticProfile profile;
  profile.respondents = people;
  profile.units = {"Sales", "Service"};
  profile.seed = 7;
  return score_document_json(
      model, core::score_cycle(model, core::synthetic_responses(model, profile)), -1);
}

// `text` as the page writes it.
std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else if (c == '\'')
      out += "&#39;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, IsOneSelfContainedPage) {
  ReportContext ctx;
  ctx.organization = "Acme";
  ctx.cycle = "Spring 2027";
  ctx.invited = 80;
  const auto r = render_html(scored(), ctx);
  ASSERT_TRUE(r.error.empty()) << r.error;
  const std::string& html = r.output;
  EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
  // Nothing that a browser would fetch: no URL, no external resource.
  for (const char* outside :
       {"http:", "https:", "//", "<link", "<script", "<img", "url(", "@import"}) {
    EXPECT_EQ(html.find(outside), std::string::npos) << outside;
  }
  // Every chart has a title and a description that name its figures.
  const std::regex svg(R"re(<svg [^>]*role="img" aria-labelledby="(\w+) (\w+)">)re");
  std::size_t charts = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), svg), end; it != end; ++it) {
    ++charts;
    EXPECT_NE(html.find("<title id=\"" + (*it)[1].str() + "\">"), std::string::npos);
    EXPECT_NE(html.find("<desc id=\"" + (*it)[2].str() + "\">"), std::string::npos);
  }
  EXPECT_EQ(charts, count(html, "<svg"));
  EXPECT_EQ(charts, 2u);  // the ladder and the competencies
  for (const char* part :
       {"Summary", "The stage ladder", "Competencies", "Where people agree and disagree", "Groups",
        "Methods", "75% of 80 invited", "Acme: customer experience maturity"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  EXPECT_NE(html.find("@page"), std::string::npos);
  EXPECT_NE(html.find("counter(page)"), std::string::npos);
}

// Statistics in plain words first (issue 23): the competency table counts
// agreement in the statements' bands and words alpha; the figures follow.
TEST(HtmlReport, StatisticsArePlainWordsFirst) {
  const auto r = render_html(scored(), ReportContext{});
  ASSERT_TRUE(r.error.empty()) << r.error;
  const std::string& html = r.output;
  EXPECT_NE(html.find("<th>Agreement</th><th>Consistency</th>"), std::string::npos);
  EXPECT_EQ(html.find("Agreement r<sub>wg(j)</sub></th>"), std::string::npos);
  EXPECT_EQ(html.find("Reliability α</th>"), std::string::npos);
  const std::regex agreed(
      R"(<td>Agreed on \d+ of \d+(, \d+ split or disputed)? <span class="muted">\(r<sub>wg\(j\)</sub> )");
  EXPECT_TRUE(std::regex_search(html, agreed));
  const std::regex consistent(
      R"(<td>(Consistent|Acceptable|Questionable|Inconsistent|Not enough answers) <span class="muted">\(α )");
  EXPECT_TRUE(std::regex_search(html, consistent));
}

// A server report carries the organization's targets, its scope and how
// its stage rolled up: a Target column and the methods say so.
TEST(HtmlReport, TargetsScopeAndRollUpAreStated) {
  json doc = json::parse(scored());
  for (auto& c : doc["competencies"]) c["target_stage"] = nullptr;
  doc["competencies"][0]["target_stage"] = 6;
  doc["competencies"][1]["target_stage"] = 1;
  doc["out_of_scope"] =
      json::array({{{"id", "LS9"}, {"text", "We <measure> it"}, {"reason", "No such team"}}});
  const auto r = render_html(doc.dump(), ReportContext{});
  ASSERT_TRUE(r.error.empty()) << r.error;
  const std::string& html = r.output;
  EXPECT_NE(html.find("<th>Target</th>"), std::string::npos);
  EXPECT_NE(html.find("<td>Stage 6</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>Stage 1 (met)</td>"), std::string::npos);
  EXPECT_NE(html.find("Stage roll-up: The organization&#39;s stage is the stage rule applied to "
                      "everyone&#39;s answers pooled."),
            std::string::npos);
  EXPECT_NE(html.find("Out of scope: the organization took 1 statement out of scope"),
            std::string::npos);
  EXPECT_NE(html.find("<li>LS9 We &lt;measure&gt; it — No such team</li>"), std::string::npos);
  // Without targets there is no Target column, and no scope paragraph.
  const auto plain = render_html(scored(), ReportContext{});
  EXPECT_EQ(plain.output.find("<th>Target</th>"), std::string::npos);
  EXPECT_EQ(plain.output.find("Out of scope:"), std::string::npos);
}

ReportSections sections_with_peers(bool synthetic) {
  ReportSections s;
  BenchmarkSection b;
  b.dataset = "Clients 2025";
  b.source = "Example Consulting";
  b.citation = "Example Consulting (2025): client assessments";
  b.licence = "CC-BY-4.0";
  b.synthetic = synthetic;
  b.rows = {{"overall", "Overall", 55, 62, 40, 50, 41, 58},
            {"leadership", "Leadership & strategy", 60, 70, 40, 52, 44, 61}};
  s.benchmark = b;
  ChangeSection c;
  c.since = "Spring 2026";
  c.stage_before = 2;
  c.stage_after = 3;
  c.rows = {{"overall", "Overall", 41.0, 52.5, 11.5, 6.0, 17.0, "improved"},
            {"LS", "Leadership & strategy", 50.0, 48.0, -2.0, -8.0, 4.0, "no clear change"}};
  s.change = c;
  s.actions =
      std::vector<ActionRow>{{"Name a <CX> owner", "Ana", "2027-01-31", "in_progress", "LS"}};
  s.decisions = std::vector<DecisionRow>{
      {"LS2", "We have a CX strategy", "Sales & service disagree", 2, "Disagree"}};
  return s;
}

// The sections of a cycle on the server: peers (with provenance, bands on
// the competency chart), change, decisions and plan, and the summary says
// what they mean in plain words.
TEST(HtmlReport, ShowsPeersChangeDecisionsAndThePlan) {
  ReportContext ctx;
  ctx.organization = "Acme";
  ctx.sections = sections_with_peers(false);
  const auto r = render_html(scored(), ctx);
  ASSERT_TRUE(r.error.empty()) << r.error;
  const std::string& html = r.output;
  for (const char* part :
       {"Compared with peers",
        "Among 40 peers of Clients 2025, the overall score is at the 62nd percentile",
        "Cite as: Example Consulting (2025): client assessments", "Licence: CC-BY-4.0",
        "Since Spring 2026, the overall score went from 41.0 to 52.5 (+11.5; 95% interval 6.0 to "
        "17.0): improved",
        "Change since Spring 2026", "Stage 2 then, stage 3 now", "What the group decided",
        "2 Disagree", "Sales &amp; service disagree", "Action plan", "Name a &lt;CX&gt; owner",
        "in progress", "Shaded band: the middle half of peers",
        "(peers: median 52, middle half 44 to 61)"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(html.find("synthetic data"), std::string::npos);
  // One band (and one median tick) per competency with peers: leadership only.
  EXPECT_EQ(count(html, "fill=\"#c9b458\""), 1u);
}

TEST(HtmlReport, SyntheticPeersAreLabelledAndTooFewPeersShowNothing) {
  ReportContext ctx;
  ctx.sections = sections_with_peers(true);
  auto html = render_html(scored(), ctx).output;
  EXPECT_NE(html.find("synthetic data"), std::string::npos);
  EXPECT_NE(html.find("Clients 2025 (synthetic data, not real organizations)"), std::string::npos);

  ctx.sections.benchmark->rows.clear();
  ctx.sections.benchmark->withheld =
      "Fewer than 5 peers compare with this assessment (2 more needed)";
  html = render_html(scored(), ctx).output;
  EXPECT_NE(html.find("Fewer than 5 peers compare with this assessment (2 more needed)"),
            std::string::npos);
  EXPECT_EQ(html.find("percentile"), std::string::npos);
  EXPECT_EQ(html.find("#c9b458\" fill-opacity"), std::string::npos);
}

TEST(HtmlReport, NoSectionsWithoutTheirData) {
  const auto html = render_html(scored()).output;
  for (const char* part :
       {"Compared with peers", "Change since", "What the group decided", "Action plan"}) {
    EXPECT_EQ(html.find(part), std::string::npos) << part;
  }
}

// Every published figure shipped carries its source, sample and year, and
// the report shows each with them (and its caveat), never as a percentile.
TEST(HtmlReport, PublishedFiguresAreShownWithTheirCitation) {
  ASSERT_FALSE(reference_figures().empty());
  const auto html = render_html(scored()).output;
  const auto at = html.find("Published figures for context");
  ASSERT_NE(at, std::string::npos);
  for (const auto& f : reference_figures()) {
    SCOPED_TRACE(f.id);
    EXPECT_FALSE(f.statement.empty());
    EXPECT_FALSE(f.value.empty());
    EXPECT_FALSE(f.source.empty());
    EXPECT_FALSE(f.sample.empty());
    EXPECT_GE(f.year, 2000);
    EXPECT_NE(citation_of(f).find(std::to_string(f.year)), std::string::npos);
    EXPECT_NE(html.find(escaped(citation_of(f)), at), std::string::npos);
    if (!f.note.empty()) {
      EXPECT_NE(html.find(escaped(f.note), at), std::string::npos);
    }
  }
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  EXPECT_EQ(section.find("percentile"), std::string::npos);
}

TEST(HtmlReport, EscapesEverythingItIsGiven) {
  ReportContext ctx;
  ctx.organization = "<script>alert(1)</script> & Co";
  ctx.cycle = "\"quoted\" 'cycle'";
  const auto html = render_html(scored(12), ctx).output;
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"), std::string::npos);
  EXPECT_NE(html.find("&quot;quoted&quot; &#39;cycle&#39;"), std::string::npos);
}

TEST(HtmlReport, APulseClaimsNoStage) {
  auto model = *model::load_default_model().model;
  const auto pulse = core::pulse_form(model);
  core::SyntheticProfile profile;
  profile.respondents = 20;
  const auto doc = score_document_json(
      pulse, core::score_cycle(pulse, core::synthetic_responses(pulse, profile)), -1);
  const auto html = render_html(doc).output;
  EXPECT_EQ(html.find("The stage ladder"), std::string::npos);
  EXPECT_EQ(html.find("Stage 1 of"), std::string::npos);
  EXPECT_NE(html.find("Pulse check"), std::string::npos);
  EXPECT_NE(html.find("too few statements per stage to claim a stage"), std::string::npos);
}

TEST(HtmlReport, RefusesWhatIsNotAScoreDocument) {
  EXPECT_FALSE(render_html("{}").error.empty());
  EXPECT_FALSE(render_html("not json").error.empty());
  json broken = json::parse(scored(12));
  broken["respondents"] = "many";
  EXPECT_FALSE(render_html(broken.dump()).error.empty());
}

TEST(HtmlReport, ANoticeWhenThereIsNoReport) {
  ReportContext ctx;
  ctx.cycle = "Spring <b>";
  const auto html = render_html_notice(ctx, "results appear when the cycle closes");
  EXPECT_NE(html.find("results appear when the cycle closes"), std::string::npos);
  EXPECT_NE(html.find("Spring &lt;b&gt;"), std::string::npos);
}

}  // namespace
}  // namespace cxm::report
