#include "report/html_report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

#include "core/cycle_scoring.h"
#include "core/forms.h"
#include "core/synthetic.h"
#include "model/model_parser.h"
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
  return score_document_json(model, core::score_cycle(model, core::synthetic_responses(model, profile)), -1);
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
  for (const char* outside : {"http:", "https:", "//", "<link", "<script", "<img", "url(", "@import"}) {
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
  for (const char* part : {"Summary", "The stage ladder", "Competencies", "Where people agree and disagree",
                           "Groups", "Methods", "75% of 80 invited", "Acme: customer experience maturity"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  EXPECT_NE(html.find("@page"), std::string::npos);
  EXPECT_NE(html.find("counter(page)"), std::string::npos);
}

// A server report carries the organization's targets, its scope and how
// its stage rolled up: a Target column and the methods say so.
TEST(HtmlReport, TargetsScopeAndRollUpAreStated) {
  json doc = json::parse(scored());
  for (auto& c : doc["competencies"]) c["target_stage"] = nullptr;
  doc["competencies"][0]["target_stage"] = 6;
  doc["competencies"][1]["target_stage"] = 1;
  doc["out_of_scope"] = json::array({{{"id", "LS9"}, {"text", "We <measure> it"}, {"reason", "No such team"}}});
  const auto r = render_html(doc.dump(), ReportContext{});
  ASSERT_TRUE(r.error.empty()) << r.error;
  const std::string& html = r.output;
  EXPECT_NE(html.find("<th>Target</th>"), std::string::npos);
  EXPECT_NE(html.find("<td>Stage 6</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>Stage 1 (met)</td>"), std::string::npos);
  EXPECT_NE(html.find("Stage roll-up: The organization&#39;s stage is the stage rule applied to everyone&#39;s answers pooled."),
            std::string::npos);
  EXPECT_NE(html.find("Out of scope: the organization took 1 statement out of scope"), std::string::npos);
  EXPECT_NE(html.find("<li>LS9 We &lt;measure&gt; it — No such team</li>"), std::string::npos);
  // Without targets there is no Target column, and no scope paragraph.
  const auto plain = render_html(scored(), ReportContext{});
  EXPECT_EQ(plain.output.find("<th>Target</th>"), std::string::npos);
  EXPECT_EQ(plain.output.find("Out of scope:"), std::string::npos);
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
  const auto doc = score_document_json(pulse, core::score_cycle(pulse, core::synthetic_responses(pulse, profile)), -1);
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
