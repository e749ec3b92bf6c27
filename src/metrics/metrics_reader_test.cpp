#include "metrics/metrics_reader.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace cxm::metrics {
namespace {

const std::string kHeader = "period,unit,metric,value,respondents,source\n";

// The reader's error for `text` (CSV, or JSON when it starts with '{'); a
// failing test when it reads.
std::string error_of(const std::string& text, const std::vector<std::string>* units = nullptr) {
  const auto read = read_metrics(text, units);
  EXPECT_FALSE(read.file.has_value()) << "read without an error: " << text;
  return read.error;
}

std::string json_row(const std::string& fields) { return R"({"rows":[)" + fields + "]}"; }
const std::string kGoodJsonRow =
    R"({"period":"2026-03","unit":null,"metric":"nps","value":12,"respondents":200,"source":"Survey"})";

TEST(MetricsCsv, ReadsFiguresAndNamedRatingsInAnyColumnOrder) {
  const auto read = read_metrics_csv(
      "source,metric,period,unit,value,respondents,name,definition,scale_min,scale_max\n"
      "Quarterly survey,NPS,2026-03, ,12.5,200,,,,\n"
      "Quarterly survey,csat,2026-03-15,Sales,81,90,,,0,100\n"
      "\"Trustpilot, read on the day\",trustpilot,2026-04,,4.2,1500,Trustpilot stars,Mean stars "
      "of reviews,1,5\n"
      "Trustpilot,trustpilot,2026-05,Sales,3.9,300,Trustpilot stars,Mean stars of reviews,1,5\n");
  ASSERT_TRUE(read.file) << read.error;
  const auto& f = *read.file;
  ASSERT_EQ(f.figures.size(), 4u);
  EXPECT_EQ(f.figures[0].metric, "nps");
  EXPECT_EQ(f.figures[0].period, "2026-03");
  EXPECT_EQ(f.figures[0].unit, "");
  EXPECT_DOUBLE_EQ(f.figures[0].value, 12.5);
  EXPECT_EQ(f.figures[0].respondents, 200);
  EXPECT_EQ(f.figures[0].source, "Quarterly survey");
  EXPECT_FALSE(f.figures[0].synthetic);
  EXPECT_EQ(f.figures[1].period, "2026-03-15");
  EXPECT_EQ(f.figures[1].unit, "Sales");
  EXPECT_EQ(f.figures[2].source, "Trustpilot, read on the day");
  ASSERT_EQ(f.named.size(), 1u);
  EXPECT_EQ(f.named[0].id, "trustpilot");
  EXPECT_EQ(f.named[0].name, "Trustpilot stars");
  EXPECT_EQ(f.named[0].definition, "Mean stars of reviews");
  EXPECT_EQ(f.named[0].scale_min, 1);
  EXPECT_EQ(f.named[0].scale_max, 5);
  EXPECT_EQ(where(f.named_places[0], "scale_min"), "line 4, column scale_min");
  EXPECT_EQ(where(f.figure_places[3]), "line 5");
}

TEST(MetricsCsv, ReadsSemicolonsAndAByteOrderMark) {
  const auto read = read_metrics_csv(
      "\xEF\xBB\xBFperiod;unit;metric;value;respondents;source\r\n"
      "2026-01;;ces;5.5;40;Effort survey\r\n");
  ASSERT_TRUE(read.file) << read.error;
  EXPECT_EQ(read.file->figures[0].metric, "ces");
}

TEST(MetricsCsv, NamesTheLineAndColumnOfAValueOffTheScale) {
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,10,5,S\n2026-02,,nps,11,5,S\n2026-03,,csat,140,5,S\n"),
            "line 4, column value: 140 is outside the scale of csat (0 to 100)");
  EXPECT_EQ(error_of(kHeader + "2026-01,,ces,0.5,5,S\n"),
            "line 2, column value: 0.5 is outside the scale of ces (1 to 7)");
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,-101,5,S\n"),
            "line 2, column value: -101 is outside the scale of nps (-100 to 100)");
}

TEST(MetricsCsv, LineNumbersCountTheFileLines) {
  // A quoted source over two lines: the next record starts on line 4.
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,10,5,\"two\nlines\"\n2026-02,,nps,x,5,S\n"),
            "line 2, column source: has a control character (such as a line break or a tab): write "
            "it on one line as plain text");
  EXPECT_EQ(error_of(kHeader + "\n2026-02,,nps,x,5,S\n"),
            "line 3, column value: 'x' is not a number (write e.g. 42 or 7.5, with a decimal "
            "point)");
}

TEST(MetricsCsv, RefusesAnEmptyFileAndOneWithOnlyAHeader) {
  EXPECT_NE(error_of("").find("the file is empty"), std::string::npos);
  EXPECT_NE(error_of("\n\n").find("the file is empty"), std::string::npos);
  EXPECT_EQ(error_of(kHeader), "line 1: no figures, only a header");
}

TEST(MetricsCsv, RefusesUnknownMissingRepeatedAndNamelessColumns) {
  EXPECT_NE(error_of("period,unit,metric,value,respondents,source,comment\n2026-01,,nps,1,1,S,x\n")
                .find("line 1, column comment: unknown column"),
            std::string::npos);
  EXPECT_NE(error_of("period,unit,metric,value,respondents\n2026-01,,nps,1,1\n")
                .find("line 1: the header has no column source"),
            std::string::npos);
  EXPECT_EQ(error_of("period,unit,metric,value,respondents,source,Value\n"),
            "line 1, column value: appears twice");
  EXPECT_NE(error_of("period,unit,metric,value,respondents,source,\n2026-01,,nps,1,1,S,\n")
                .find("line 1: column 7 has no name"),
            std::string::npos);
}

TEST(MetricsCsv, RefusesARowWithAnotherNumberOfColumns) {
  EXPECT_NE(error_of(kHeader + "2026-01,,nps,7,5\n").find("line 2: expected 6 columns"),
            std::string::npos);
}

TEST(MetricsCsv, RefusesMalformedQuotesAndInvalidUtf8) {
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,7,5,\"open\n"),
            "line 2: malformed CSV: unterminated quoted field");
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,7,5,S\xff\n"),
            "line 2: invalid UTF-8 (save the file as UTF-8)");
}

TEST(MetricsCsv, ChecksPeriods) {
  for (const char* bad : {"2026-13", "2026-3", "26-03", "2026-02-30", "March 2026", "1899-12"}) {
    EXPECT_NE(error_of(kHeader + bad + ",,nps,1,1,S\n").find("line 2, column period: '"),
              std::string::npos)
        << bad;
  }
  EXPECT_EQ(error_of(kHeader + ",,nps,1,1,S\n"),
            "line 2, column period: is empty: write a month as YYYY-MM or a day as YYYY-MM-DD");
}

TEST(MetricsCsv, ChecksMetricIds) {
  EXPECT_EQ(error_of(kHeader + "2026-01,,,1,1,S\n"),
            "line 2, column metric: is empty: write nps, csat, ces or the id of a named rating");
  EXPECT_NE(error_of(kHeader + "2026-01,,Net Promoter,1,1,S\n")
                .find("line 2, column metric: 'Net Promoter' is not a metric"),
            std::string::npos);
  // A named rating needs its scale and definition; the columns are optional.
  EXPECT_EQ(error_of(kHeader + "2026-01,,trustpilot,4,1,S\n"),
            "line 2, column scale_min: trustpilot is a named rating: give its scale in scale_min "
            "and scale_max (e.g. 1 and 5)");
}

TEST(MetricsCsv, BuiltinMetricsKeepTheirDefinitionAndScale) {
  const std::string header =
      "period,unit,metric,value,respondents,source,name,definition,scale_min,scale_max\n";
  EXPECT_EQ(error_of(header + "2026-01,,nps,1,1,S,My NPS,,,\n"),
            "line 2, column name: nps is a built-in metric (Net Promoter Score): leave name empty");
  EXPECT_EQ(error_of(header + "2026-01,,nps,1,1,S,,Ours,,\n"),
            "line 2, column definition: nps is a built-in metric (Net Promoter Score): leave "
            "definition empty");
  EXPECT_EQ(error_of(header + "2026-01,,csat,1,1,S,,,1,5\n"),
            "line 2, column scale_min: csat is a built-in metric (Customer satisfaction (CSAT)) on "
            "the scale 0 to 100: leave scale_min empty");
  EXPECT_EQ(error_of(header + "2026-01,,csat,1,1,S,,,0,10\n"),
            "line 2, column scale_max: csat is a built-in metric (Customer satisfaction (CSAT)) on "
            "the scale 0 to 100: leave scale_max empty");
  // Its own scale written out is no error.
  EXPECT_TRUE(read_metrics_csv(header + "2026-01,,ces,2,1,S,,,1,7\n").file);
}

TEST(MetricsCsv, NamedRatingsNeedAScaleThatRisesAndADefinition) {
  const std::string header =
      "period,unit,metric,value,respondents,source,name,definition,scale_min,scale_max\n";
  EXPECT_EQ(error_of(header + "2026-01,,stars,3,1,S,Stars,Mean stars,5,1\n"),
            "line 2, column scale_max: 1 is not above scale_min (5): a scale runs up from "
            "scale_min to scale_max, and higher is better");
  EXPECT_EQ(error_of(header + "2026-01,,stars,3,1,S,Stars,Mean stars,3,3\n"),
            "line 2, column scale_max: 3 is not above scale_min (3): a scale runs up from "
            "scale_min to scale_max, and higher is better");
  EXPECT_EQ(error_of(header + "2026-01,,stars,3,1,S,Stars,,1,5\n"),
            "line 2, column definition: stars is a named rating: say in definition what it "
            "measures and how");
  EXPECT_EQ(error_of(header + "2026-01,,stars,3,1,S,Stars,Mean stars,1,x\n"),
            "line 2, column scale_max: 'x' is not a number (write e.g. 42 or 7.5, with a decimal "
            "point)");
  EXPECT_NE(error_of(header + "2026-01,,stars,3,1,S,Stars,Mean stars,1,1e12\n")
                .find("line 2, column scale_max: 1e+12 is too large"),
            std::string::npos);
  EXPECT_EQ(error_of(header + "2026-01,,stars,6,1,S,Stars,Mean stars,1,5\n"),
            "line 2, column value: 6 is outside the scale of stars (1 to 5)");
  EXPECT_EQ(error_of(header + "2026-01,,stars,3,1,S," + std::string(81, 'n') + ",Mean stars,1,5\n"),
            "line 2, column name: is longer than 80 characters");
  EXPECT_EQ(error_of(header + "2026-01,,stars,3,1,S,Stars," + std::string(501, 'd') + ",1,5\n"),
            "line 2, column definition: is longer than 500 characters");
  // Without a name, the id names it.
  const auto read = read_metrics_csv(header + "2026-01,,stars,3,1,S,,Mean stars,1,5\n");
  ASSERT_TRUE(read.file) << read.error;
  EXPECT_EQ(read.file->named[0].name, "stars");
}

TEST(MetricsCsv, ANamedRatingCarriesOneDefinitionThroughTheFile) {
  const std::string header =
      "period,unit,metric,value,respondents,source,name,definition,scale_min,scale_max\n";
  const std::string first = "2026-01,,stars,3,1,S,Stars,Mean stars,1,5\n";
  EXPECT_EQ(error_of(header + first + "2026-02,,stars,3,1,S,Stars,Mean stars,1,10\n"),
            "line 3, column scale_max: differs from line 2: every row of stars carries the same "
            "name, definition and scale");
  EXPECT_EQ(error_of(header + first + "2026-02,,stars,3,1,S,Stars,Median stars,1,5\n"),
            "line 3, column definition: differs from line 2: every row of stars carries the same "
            "name, definition and scale");
  EXPECT_EQ(error_of(header + first + "2026-02,,stars,3,1,S,Star rating,Mean stars,1,5\n"),
            "line 3, column name: differs from line 2: every row of stars carries the same name, "
            "definition and scale");
}

TEST(MetricsCsv, ChecksValuesAndRespondents) {
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,,5,S\n"),
            "line 2, column value: is empty: write a number (e.g. 42 or 7.5)");
  for (const char* bad : {"nan", "inf", "7,5", "+5", "1e999", "12 points"}) {
    EXPECT_NE(
        error_of(kHeader + "2026-01,,nps,\"" + bad + "\",5,S\n").find("line 2, column value: '"),
        std::string::npos)
        << bad;
  }
  const std::string rule =
      "must be a whole number from 1 to 1000000000 (the customers behind the figure)";
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,1,0,S\n"), "line 2, column respondents: 0: " + rule);
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,1,-3,S\n"), "line 2, column respondents: -3: " + rule);
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,1,1000000001,S\n"),
            "line 2, column respondents: 1000000001: " + rule);
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,1,12.5,S\n"),
            "line 2, column respondents: '12.5': " + rule);
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,1,,S\n"),
            "line 2, column respondents: is empty: " + rule);
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,1,99999999999999999999,S\n"),
            "line 2, column respondents: '99999999999999999999': " + rule);
}

TEST(MetricsCsv, ChecksSources) {
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,1,1,  \n"),
            "line 2, column source: is empty: say where the figure comes from (e.g. Quarterly NPS "
            "survey)");
  EXPECT_EQ(error_of(kHeader + "2026-01,,nps,1,1," + std::string(201, 's') + "\n"),
            "line 2, column source: is longer than 200 characters");
  // 200 characters of two bytes each are 200 characters.
  std::string umlauts;
  for (int i = 0; i < 200; ++i) umlauts += "ü";
  EXPECT_TRUE(read_metrics_csv(kHeader + "2026-01,,nps,1,1," + umlauts + "\n").file);
  EXPECT_NE(
      error_of(kHeader + "2026-01,,nps,1,1,a\x01z\n").find("line 2, column source: has a control"),
      std::string::npos);
}

TEST(MetricsCsv, ChecksUnitsAgainstTheOrganizationsWhenGiven) {
  const std::vector<std::string> units = {"Sales", "Service"};
  EXPECT_EQ(error_of(kHeader + "2026-01,Sales,nps,1,1,S\n2026-01,Billing,nps,1,1,S\n", &units),
            "line 3, column unit: 'Billing' is not one of the organization's units (Sales, "
            "Service); leave it empty for the whole organization");
  const std::vector<std::string> none;
  EXPECT_NE(error_of(kHeader + "2026-01,Sales,nps,1,1,S\n", &none).find("(it has none)"),
            std::string::npos);
  // Trimmed before it is compared; without a list, any unit of good form.
  EXPECT_TRUE(read_metrics_csv(kHeader + "2026-01, Sales ,nps,1,1,S\n", &units).file);
  EXPECT_TRUE(read_metrics_csv(kHeader + "2026-01,Billing,nps,1,1,S\n").file);
  EXPECT_NE(error_of(kHeader + "2026-01," + std::string(201, 'u') + ",nps,1,1,S\n")
                .find("line 2, column unit: is longer than 200"),
            std::string::npos);
}

TEST(MetricsCsv, RefusesTheSameMetricPeriodAndUnitTwice) {
  EXPECT_EQ(
      error_of(kHeader + "2026-01,Sales,nps,1,1,S\n2026-01,,nps,1,1,S\n2026-01,Sales,NPS,2,1,T\n"),
      "line 4, column period: nps for 2026-01, unit Sales, is also on line 2: give each "
      "metric, period and unit once");
  EXPECT_NE(error_of(kHeader + "2026-01,,csat,1,1,S\n2026-01,,csat,2,1,S\n")
                .find("csat for 2026-01, the whole organization, is also on line 2"),
            std::string::npos);
  // A month and a day in it are different periods.
  EXPECT_TRUE(read_metrics_csv(kHeader + "2026-01,,nps,1,1,S\n2026-01-15,,nps,1,1,S\n").file);
}

TEST(MetricsCsv, AtMostTenThousandFigures) {
  std::string text = kHeader;
  for (int i = 0; i < 10001; ++i) {
    text += std::to_string(1000 + i / 12) + "-" + (i % 12 < 9 ? "0" : "") +
            std::to_string(i % 12 + 1) + ",,nps,1,1,S\n";
  }
  EXPECT_EQ(error_of(text), "more than 10000 figures in one file: import them in parts");
}

TEST(MetricsJson, ReadsRowsWithTheSameFields) {
  const auto read = read_metrics_json(R"({"rows":[
    {"period":"2026-03","unit":null,"metric":"nps","value":12,"respondents":200,"source":"Survey"},
    {"period":"2026-03","metric":"nps","value":-4.5,"respondents":20,"source":"Survey","unit":" Sales "},
    {"period":"2026-04","unit":"","metric":"stars","value":4.1,"respondents":7,"source":"Shop",
     "name":"Stars","definition":"Mean stars","scale_min":1,"scale_max":5}]})");
  ASSERT_TRUE(read.file) << read.error;
  ASSERT_EQ(read.file->figures.size(), 3u);
  EXPECT_EQ(read.file->figures[0].unit, "");
  EXPECT_EQ(read.file->figures[1].unit, "Sales");
  EXPECT_DOUBLE_EQ(read.file->figures[1].value, -4.5);
  EXPECT_EQ(read.file->figures[2].unit, "");
  ASSERT_EQ(read.file->named.size(), 1u);
  EXPECT_EQ(where(read.file->named_places[0], "scale_min"), "row 3, field scale_min");
}

TEST(MetricsJson, NamesTheRowAndField) {
  const std::vector<std::string> units = {"Sales", "Service"};
  EXPECT_EQ(
      error_of(
          json_row(
              kGoodJsonRow + "," +
              R"({"period":"2026-03","unit":"Billing","metric":"nps","value":1,"respondents":2,"source":"S"})"),
          &units),
      "row 2, field unit: 'Billing' is not one of the organization's units (Sales, Service); "
      "leave it empty for the whole organization");
  EXPECT_EQ(
      error_of(json_row(
          kGoodJsonRow + "," +
          R"({"period":"2026-04","metric":"nps","value":1,"respondents":2,"source":"S"})" + "," +
          R"({"period":"2026-04","metric":"csat","value":140,"respondents":2,"source":"S"})")),
      "row 3, field value: 140 is outside the scale of csat (0 to 100)");
}

TEST(MetricsJson, ChecksTypesAndFields) {
  auto with = [](const std::string& field, const std::string& value) {
    nlohmann::json row = nlohmann::json::parse(kGoodJsonRow);
    if (value.empty())
      row.erase(field);
    else
      row[field] = nlohmann::json::parse(value);
    return json_row(row.dump());
  };
  EXPECT_EQ(error_of(with("value", R"("12")")),
            "row 1, field value: must be a number (e.g. 42 or 7.5), not text");
  EXPECT_EQ(error_of(with("value", "null")), "row 1, field value: must be a number, not null");
  EXPECT_EQ(error_of(with("value", "")), "row 1, field value: missing");
  EXPECT_EQ(error_of(with("period", "")), "row 1, field period: missing");
  EXPECT_EQ(error_of(with("period", "202603")), "row 1, field period: must be text");
  EXPECT_EQ(error_of(with("source", "null")), "row 1, field source: must be text, not null");
  EXPECT_EQ(error_of(with("unit", "3")), "row 1, field unit: must be text");
  EXPECT_NE(error_of(with("respondents", "12.5")).find("row 1, field respondents: must be a whole"),
            std::string::npos);
  EXPECT_NE(error_of(with("respondents", "0")).find("row 1, field respondents: 0: must be"),
            std::string::npos);
  EXPECT_NE(error_of(with("respondents", "18446744073709551615"))
                .find("row 1, field respondents: 18446744073709551615: must be"),
            std::string::npos);
  EXPECT_NE(error_of(with("comment", R"("hi")")).find("row 1, field comment: unknown field"),
            std::string::npos);
  EXPECT_EQ(error_of(with("scale_min", R"("1")")),
            "row 1, field scale_min: must be a number (e.g. 42 or 7.5), not text");
}

TEST(MetricsCsv, ANamedRatingMayNotPassForABuiltinMetric) {
  const std::string header =
      "period,unit,metric,value,respondents,source,name,definition,scale_min,scale_max\n";
  EXPECT_EQ(error_of(header + "2026-01,,nps_x,10,5,S,Net Promoter Score,Ours,-100,100\n"),
            "line 2, column name: 'Net Promoter Score' is the built-in nps; give a named rating a "
            "name of its own, or import it as metric nps");
  EXPECT_EQ(error_of(header + "2026-01,,happy,4,5,S,CSAT,Ours,1,5\n"),
            "line 2, column name: 'CSAT' is the built-in csat; give a named rating a name of its "
            "own, or import it as metric csat");
  EXPECT_TRUE(read_metrics(header + "2026-01,,stars,4,5,S,Shop stars,Mean stars,1,5\n").file);
}

TEST(MetricsJson, RefusesOtherShapes) {
  EXPECT_EQ(error_of("{}"), "rows: must be a list of figures");
  EXPECT_EQ(error_of(R"({"rows":[]})"), "rows: no figures");
  EXPECT_EQ(error_of(R"({"rows":[1]})"), "row 1: must be an object {period, unit, metric, ...}");
  EXPECT_EQ(error_of(R"({"rows":[], "metadata":{}})"),
            "unknown field 'metadata' (expected {\"rows\": [...]})");
  EXPECT_EQ(error_of("{\"rows\":\n  [1,]}"),
            "not valid JSON at line 2, column 6: unexpected ']'; expected '[', '{', or a literal");
  EXPECT_EQ(error_of(R"({"rows":[{"value":1e999}]})"), "not valid JSON: a number is too large");
  EXPECT_NE(error_of("{\"rows\":[\"\xff\"]}").find("not valid JSON: invalid UTF-8"),
            std::string::npos);
  const auto array = read_metrics_json("[]");
  EXPECT_EQ(array.error, "expected an object {\"rows\": [...]}");
}

TEST(MetricsReader, TellsJsonFromCsv) {
  EXPECT_TRUE(looks_like_json("  \n{\"rows\":[]}"));
  EXPECT_TRUE(looks_like_json("\xEF\xBB\xBF{"));
  EXPECT_FALSE(looks_like_json(kHeader));
  EXPECT_FALSE(looks_like_json(""));
}

}  // namespace
}  // namespace cxm::metrics
