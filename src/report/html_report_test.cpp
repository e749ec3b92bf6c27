#include "report/html_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/comments.h"
#include "core/cycle_scoring.h"
#include "core/forms.h"
#include "core/synthetic.h"
#include "model/model_parser.h"
#include "report/comments_section.h"
#include "report/reference_figures.h"
#include "report/report_text.h"
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
        "In progress", "Shaded band: the middle half of peers",
        "(peers: median 52, middle half 44 to 61)"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(html.find("synthetic data"), std::string::npos);
  // One band (and one median tick) per competency with peers: leadership only.
  EXPECT_EQ(count(html, "fill=\"#c9b458\""), 1u);
}

// More executives answered this time: the summary leads with the change
// at the same mix of roles, whose verdict differs, and says why; the change
// section shows it beside the plain change with both cycles' role shares
// and the flag. A competency is listed by its balanced verdict.
TEST(HtmlReport, TheChangeAtTheSameMixOfRolesLeadsWhenTheVerdictsDiffer) {
  ReportContext ctx;
  ctx.sections = sections_with_peers(false);
  BalancedChangeRow overall;
  overall.change = -0.6;
  overall.ci_low = -5.9;
  overall.ci_high = 4.8;
  overall.verdict = "no clear change";
  overall.roles = {{"executive", "Executive", 2.0 / 15, 0.5},
                   {"frontline", "Frontline employee", 0.6, 3.0 / 18}};
  overall.flagged = true;
  overall.reason = "At the same mix of roles the change is \"no clear change\", not \"improved\".";
  auto& rows = ctx.sections.change->rows;
  rows[0].balanced = overall;
  BalancedChangeRow competency = overall;
  competency.change = 9.5;
  competency.ci_low = 1.5;
  competency.ci_high = 17.5;
  competency.verdict = "improved";
  competency.flagged = true;
  competency.reason = "Who answered changed.";
  rows[1].balanced = competency;
  std::string html = render_html(scored(), ctx).output;
  EXPECT_NE(html.find("<li>Leadership &amp; strategy: Who answered changed.</li>"),
            std::string::npos);
  // The same reason on every row is said once.
  rows[1].balanced->reason = rows[0].balanced->reason;
  EXPECT_NE(render_html(scored(), ctx)
                .output.find("<li>Overall and every competency: At the same mix of roles"),
            std::string::npos);
  rows[1].balanced->reason = "Who answered changed.";
  for (const char* part :
       {"Since Spring 2026, at the same mix of roles the overall score shows no clear change "
        "(-0.6; 95% interval -5.9 to 4.8). The plain change, from 41.0 to 52.5 (+11.5: improved), "
        "mixes progress with who answered: the share of Frontline employee respondents fell from "
        "60% to 17%.",
        "Clearly better: Leadership &amp; strategy.", "Same mix of roles (95% interval)",
        "-0.6 (-5.9 to 4.8): no clear change <span class=\"tag\">flagged</span>",
        "Who answered: the roles&#39; shares",
        "<td>Executive</td><td class=\"n\">13%</td>"
        "<td class=\"n\">50%</td>",
        "<li>Overall: At the same mix of roles the change is &quot;no clear change&quot;, not "
        "&quot;improved&quot;.</li>"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  // The same verdict: the plain change leads; without roles, the note.
  rows[0].balanced->verdict = "improved";
  html = render_html(scored(), ctx).output;
  EXPECT_NE(html.find("Since Spring 2026, the overall score went from 41.0 to 52.5"),
            std::string::npos);
  rows[0].balanced.reset();
  rows[0].balanced_note = "No change at the same mix of roles: fewer than two roles can take part.";
  html = render_html(scored(), ctx).output;
  EXPECT_NE(html.find("fewer than two roles can take part"), std::string::npos);
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
// Issue 23: the live workshop's before and after as a small section of its
// own: plain words with the numbers behind them; a hidden statement says
// why, with no figure.
TEST(HtmlReport, ShowsTheWorkshopsBeforeAndAfter) {
  ReportContext ctx;
  ctx.sections.workshop = std::vector<WorkshopRoundRow>{
      {"Leaders <review> complaints", "Leadership", 11.0 / 3, 13.0 / 3, 0.0, 0.83,
       "The room came closer together: before talking the room disagreed (mean 3.7); after, "
       "the room agreed (mean 4.3).",
       ""},
      {"Customers are heard", "Insight", std::nullopt, std::nullopt, std::nullopt, std::nullopt, "",
       "fewer than 3 ratings in the second round (don't know answers aside)"}};
  const auto html = render_html(scored(), ctx).output;
  EXPECT_NE(html.find("<h2>Workshop: what moved after talking</h2>"), std::string::npos);
  EXPECT_NE(html.find("Leaders &lt;review&gt; complaints"), std::string::npos);
  EXPECT_NE(html.find("The room came closer together: before talking the room disagreed (mean "
                      "3.7); after, the room agreed (mean 4.3)."),
            std::string::npos);
  EXPECT_NE(html.find("3.7 → 4.3"), std::string::npos);
  EXPECT_NE(html.find("0.00 → 0.83"), std::string::npos);
  EXPECT_NE(html.find("Not shown: fewer than 3 ratings in the second round (don&#39;t know "
                      "answers aside)."),
            std::string::npos)
      << html;
  // Without a workshop, no section.
  EXPECT_EQ(render_html(scored()).output.find("what moved after talking"), std::string::npos);
}

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
  EXPECT_NE(html.find("Results appear when the cycle closes."), std::string::npos);
  EXPECT_NE(html.find("<h1>No report yet</h1>"), std::string::npos);
  EXPECT_NE(html.find("Spring &lt;b&gt;"), std::string::npos);
}

// A hidden group's page says that it is hidden and why, never "No report yet".
TEST(HtmlReport, AHiddenGroupsNoticeStatesTheTrueReason) {
  ReportContext ctx;
  ctx.cycle = "Spring";
  ctx.filter = "Role: Executive";
  const auto html =
      render_html_notice(ctx, "fewer than 5 submitted responses; hidden to protect anonymity",
                         "Results for this group are hidden");
  EXPECT_NE(html.find("<h1>Results for this group are hidden</h1>"), std::string::npos);
  EXPECT_NE(html.find("Fewer than 5 submitted responses; hidden to protect anonymity."),
            std::string::npos);
  EXPECT_NE(html.find("Role: Executive"), std::string::npos);
  EXPECT_EQ(html.find("No report yet"), std::string::npos);
}

// A scored document whose first role gap is large: executives 84, frontline
// 27 (made so by hand; synthetic answers do not spread that far).
json with_large_gap() {
  json doc = json::parse(scored());
  json& gaps = doc["gaps"];
  for (auto& g : gaps) {
    if (g["segment"] == "role" && g["a"] == "executive" && g["b"] == "frontline") {
      g["overall"]["mean_a"] = 84.0;
      g["overall"]["mean_b"] = 27.0;
      g["overall"]["difference"] = 57.0;
      g["overall"]["ci_low"] = 50.0;
      g["overall"]["ci_high"] = 64.0;
    } else {
      g["overall"]["difference"] = 1.0;
      g["overall"]["ci_low"] = -3.0;
      g["overall"]["ci_high"] = 5.0;
    }
  }
  return doc;
}

// The summary states the biggest finding: the largest gap between roles,
// by their display names; never when one side of it is hidden.
TEST(HtmlReport, TheSummaryStatesTheLargestPerceptionGap) {
  json doc = with_large_gap();
  const auto html = render_html(doc.dump()).output;
  const auto summary_end = html.find("<h2>The stage ladder</h2>");
  const auto at = html.find(
      "The largest difference in perception between roles: Executive 84 "
      "against Frontline employee 27, 57 points apart (95% interval 50 to "
      "64)");
  ASSERT_NE(at, std::string::npos) << html.substr(0, 4000);
  EXPECT_LT(at, summary_end);
  const auto text = render_summary(doc.dump(), SummaryStyle::markdown).output;
  EXPECT_NE(text.find("## Largest perception gap"), std::string::npos);
  EXPECT_NE(text.find("Executive 84 against Frontline employee 27"), std::string::npos);

  for (auto& s : doc["segments"]["role"]) {
    if (s["value"] == "frontline") {
      s["suppressed"] = true;
      s["reason"] = "hidden so that no smaller group can be worked out from the other figures";
      s.erase("overall_score");
      s.erase("stage");
      s.erase("stage_name");
      s.erase("competencies");
    }
  }
  const auto hidden = render_html(doc.dump());
  ASSERT_TRUE(hidden.error.empty()) << hidden.error;
  EXPECT_EQ(hidden.output.find("The largest difference in perception"), std::string::npos);
  EXPECT_EQ(render_summary(doc.dump(), SummaryStyle::text).output.find("Largest perception gap"),
            std::string::npos);
}

// Gaps name roles as the groups table does ("Executive", not "executive"),
// and a hidden group's reason is said once ("Hidden so that ...").
TEST(HtmlReport, GroupsAndGapsReadAsPeopleSayThem) {
  json doc = with_large_gap();
  for (auto& s : doc["segments"]["unit"]) {
    if (s["value"] == "Sales") {
      s["suppressed"] = true;
      s["reason"] = "hidden so that no smaller group can be worked out from the other figures";
      for (const char* k : {"overall_score", "stage", "stage_name", "competencies"}) s.erase(k);
    }
  }
  const auto r = render_html(doc.dump());
  ASSERT_TRUE(r.error.empty()) << r.error;
  const std::string& html = r.output;
  EXPECT_NE(html.find("<td>Executive and Frontline employee</td>"), std::string::npos);
  EXPECT_EQ(html.find("executive and frontline"), std::string::npos);
  EXPECT_NE(html.find("Perception gaps between groups"), std::string::npos);
  EXPECT_NE(html.find(">Hidden so that no smaller group can be worked out"), std::string::npos);
  EXPECT_EQ(html.find("Hidden: hidden"), std::string::npos);
}

// Dates and statuses never wrap; statuses read as words; short tables stay
// on one page and long ones repeat their header on the next.
TEST(HtmlReport, PlanCellsDoNotWrapAndTablesDoNotLeaveOrphans) {
  ReportContext ctx;
  ctx.sections.actions =
      std::vector<ActionRow>{{"Name an owner", "Ana", "2027-02-19", "in_progress", "LS"},
                             {"Map journeys", "", "", "planned", "CU"}};
  const auto html = render_html(scored(), ctx).output;
  EXPECT_NE(html.find("<td class=\"nowrap\">2027-02-19</td><td class=\"nowrap\">In "
                      "progress</td>"),
            std::string::npos);
  EXPECT_NE(html.find(">Planned</td>"), std::string::npos);
  EXPECT_NE(html.find("td.nowrap, th.nowrap { white-space: nowrap; }"), std::string::npos);
  EXPECT_NE(html.find("thead { display: table-header-group; }"), std::string::npos);
  EXPECT_NE(html.find("table.keep, .keep-together { break-inside: avoid; }"), std::string::npos);
  const auto plan = html.find("<h2>Action plan</h2>");
  ASSERT_NE(plan, std::string::npos);
  EXPECT_EQ(html.find("<table class=\"keep\">", plan), html.find("<table", plan));
}

// The organization's branding: the logo inlined (a data: URI, so nothing is
// fetched), the consultant and the confidentiality line on the cover, and
// the line at the foot of every printed page.
TEST(HtmlReport, TheCoverCarriesTheBranding) {
  // A 1×1 PNG.
  const std::string png(
      "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
      "\0\0\0\rIDATx\x9c"
      "c\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xae"
      "B`\x82",
      67);
  ReportContext ctx;
  ctx.organization = "Helios AG";
  ctx.branding.consultant = "Acme \"Consulting\"";
  ctx.branding.confidentiality = "Confidential — prepared for Helios AG";
  ctx.branding.logo = png;
  ctx.branding.logo_type = "image/png";
  const auto html = render_html(scored(), ctx).output;
  const auto cover_end = html.find("</section>");
  const auto img = html.find(
      "<img class=\"logo\" alt=\"Helios AG logo\" "
      "src=\"data:image/png;base64,iVBORw0KGgo");
  ASSERT_NE(img, std::string::npos);
  EXPECT_LT(img, cover_end);
  EXPECT_NE(html.find("<p class=\"prepared\">Prepared by Acme &quot;Consulting&quot; for Helios "
                      "AG</p>"),
            std::string::npos);
  EXPECT_NE(html.find("<p class=\"confidential\">Confidential — prepared for Helios AG</p>"),
            std::string::npos);
  EXPECT_LT(html.find("Confidential — prepared for Helios AG</p>"), cover_end);
  // The footer: a CSS string, its quotes escaped.
  EXPECT_NE(html.find("@bottom-left { content: \"Confidential — prepared for Helios AG · Prepared "
                      "by Acme \\22 Consulting\\22 \""),
            std::string::npos);
  // Still nothing fetched from anywhere.
  for (const char* outside : {"http:", "https:", "<link", "<script", "url("}) {
    EXPECT_EQ(html.find(outside), std::string::npos) << outside;
  }
  // No branding, no footer line nor logo.
  const auto plain = render_html(scored()).output;
  EXPECT_EQ(plain.find("@bottom-left"), std::string::npos);
  EXPECT_EQ(plain.find("<img"), std::string::npos);
  // A logo that is not a PNG or JPEG is never inlined.
  ctx.branding.logo = "<svg onload=alert(1)>";
  ctx.branding.logo_type = "image/svg+xml";
  EXPECT_EQ(render_html(scored(), ctx).output.find("<img"), std::string::npos);
}

}  // namespace
}  // namespace cxm::report

namespace cxm::report {
namespace {

// The texts of every heading, table header, cover term and caption.
std::vector<std::string> labels(const std::string& html) {
  std::vector<std::string> out;
  static const std::regex kLabel(R"(<(h1|h2|h3|th|dt|figcaption|title)( [^>]*)?>([^<]*)<)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kLabel);
       it != std::sregex_iterator(); ++it) {
    if (!(*it)[3].str().empty()) out.push_back((*it)[3].str());
  }
  return out;
}

// The printed report in German (issue 26): no heading, column, cover term
// or caption is left in English, the page says it is German, and numbers
// in its text have a decimal comma.
TEST(HtmlReport, InGermanNoEnglishHeadingIsLeft) {
  ReportContext ctx;
  ctx.organization = "Müller & Söhne";
  ctx.cycle = "Frühjahr 2027";
  ctx.period = "1. März 2027 – 31. März 2027";
  ctx.invited = 80;
  ctx.sections = sections_with_peers(false);
  const std::string doc = scored();
  const auto english = render_html(doc, ctx);
  ctx.lang = "de";
  const auto german = render_html(doc, ctx);
  ASSERT_TRUE(german.error.empty()) << german.error;
  const std::string& html = german.output;
  // The same words in both languages, and the dataset's own row names.
  const std::set<std::string> same = {"Status", "Outside-in", "Overall", "Leadership & strategy"};
  const auto german_labels = labels(html);
  std::set<std::string> german_set(german_labels.begin(), german_labels.end());
  std::size_t checked = 0;
  for (const auto& label : labels(english.output)) {
    if (same.contains(label) || label.find("Acme") != std::string::npos) continue;
    ++checked;
    EXPECT_FALSE(german_set.contains(label)) << "still English: " << label;
  }
  EXPECT_GT(checked, 30u);
  for (const char* part :
       {"<html lang=\"de\">", "<h2>Zusammenfassung</h2>", "<h2>Methodik</h2>",
        "<dt>Befragte</dt><dd>60 von 80 Eingeladenen</dd>", "\"Seite \" counter(page)",
        "<h2>Veränderung seit Spring 2026</h2>",
        "von 41,0 auf 52,5 verändert (+11,5; 95-%-Intervall 6,0 bis 17,0): verbessert", "In Arbeit",
        "auf dem 62. Perzentil"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  // A decimal comma in the text (r_wg(j), α), never a decimal point.
  EXPECT_TRUE(std::regex_search(html, std::regex(R"(\(α [01],\d\d, n )")));
  EXPECT_FALSE(std::regex_search(html, std::regex(R"(\(α [01]\.\d\d, n )")));
  // The English page is unchanged by the German one rendered beside it.
  EXPECT_NE(english.output.find("<h2>Summary</h2>"), std::string::npos);
  EXPECT_NE(english.output.find("<html lang=\"en\">"), std::string::npos);
}

// The notice page in German.
TEST(HtmlReport, TheNoticeInGerman) {
  ReportContext ctx;
  ctx.lang = "de";
  const std::string html = render_html_notice(ctx, "noch keine abgeschickten Antworten", "");
  EXPECT_NE(html.find("<h1>Noch kein Bericht</h1>"), std::string::npos) << html;
  EXPECT_NE(html.find("Noch keine abgeschickten Antworten."), std::string::npos);
}

}  // namespace
}  // namespace cxm::report

namespace cxm::report {
namespace {

// A German reason says "ausgeblendet" once, not after "Ausgeblendet:".
TEST(HtmlReport, GermanHiddenReasonsSayItOnce) {
  const TextScope german(Lang::de);
  EXPECT_EQ(hidden_text("weniger als 3 Befragte haben geantwortet; zum Schutz der Anonymität "
                        "ausgeblendet"),
            "Weniger als 3 Befragte haben geantwortet; zum Schutz der Anonymität ausgeblendet");
  EXPECT_EQ(hidden_text("etwas anderes"), "Ausgeblendet: etwas anderes");
}

}  // namespace
}  // namespace cxm::report

namespace cxm::report {
namespace {

// Why a competency's comments are withheld, in the report's language.
TEST(HtmlReport, WithheldCommentsSayWhyInGerman) {
  const auto model = *model::load_default_model().model;
  core::CommentGroup group;
  group.competency = model.competencies.front().id;
  group.withheld = core::comments_withheld_reason(3);
  EXPECT_EQ(comments_section(model, {group})[0]["withheld"], group.withheld);
  const TextScope german(Lang::de);
  EXPECT_EQ(comments_section(model, {group})[0]["withheld"],
            "weniger als 3 Personen, die selbst geantwortet haben, haben kommentiert; Kommentare "
            "werden ab 3 gezeigt");
}

}  // namespace
}  // namespace cxm::report
