#include "peers/ratings_dataset.h"

#include <gtest/gtest.h>

namespace cxm::peers {
namespace {

const char* kGood =
    "company,industry,year,metric,value,respondents,source\n"
    "Retailer 01,Retail,2025,nps,31,1200,Index 2025\n"
    "\"Shop, Inc.\",Retail,2025,csat,78.5,,\n"
    "Retailer 01,Retail,2026,NPS,34,,Index 2026\n";

std::string csv_error(const std::string& text) {
  const auto parsed = parse_ratings_csv(text, "ratings.csv");
  EXPECT_FALSE(parsed.rows);
  return parsed.error ? model::format(*parsed.error) : std::string("(no error)");
}

std::string json_error(const std::string& text) {
  const auto parsed = parse_ratings_json(text);
  EXPECT_FALSE(parsed.dataset);
  return parsed.error;
}

TEST(RatingsCsv, ReadsEveryColumn) {
  const auto parsed = parse_ratings_csv(kGood, "ratings.csv");
  ASSERT_TRUE(parsed.rows) << model::format(*parsed.error);
  const auto& rows = *parsed.rows;
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].company, "Retailer 01");
  EXPECT_EQ(rows[0].industry, "Retail");
  EXPECT_EQ(rows[0].year, 2025);
  EXPECT_EQ(rows[0].metric, "nps");
  EXPECT_EQ(rows[0].name, "Net Promoter Score");
  EXPECT_EQ(rows[0].scale_min, -100);
  EXPECT_EQ(rows[0].scale_max, 100);
  EXPECT_EQ(rows[0].value, 31);
  EXPECT_EQ(rows[0].respondents, 1200);
  EXPECT_EQ(rows[0].source, "Index 2025");
  EXPECT_EQ(rows[1].company, "Shop, Inc.");
  EXPECT_EQ(rows[1].value, 78.5);
  EXPECT_FALSE(rows[1].respondents);
  EXPECT_EQ(rows[2].metric, "nps");  // ids are read in lower case
}

TEST(RatingsCsv, NamedRatingWithItsScale) {
  const auto parsed = parse_ratings_csv(
      "metric,name,scale_min,scale_max,company,industry,year,value\n"
      "stars,Review stars,1,5,A,Retail,2025,4.2\n"
      "stars,Review stars,1,10,A,Retail,2025,8\n",
      "ratings.csv");
  ASSERT_TRUE(parsed.rows) << model::format(*parsed.error);
  EXPECT_EQ((*parsed.rows)[0].name, "Review stars");
  EXPECT_EQ((*parsed.rows)[0].scale_max, 5);
  EXPECT_EQ((*parsed.rows)[1].scale_max, 10);  // another scale: another rating
}

TEST(RatingsCsv, WrittenRowsReadBackUnchanged) {
  auto rows = *parse_ratings_csv(kGood, "ratings.csv").rows;
  rows.push_back({"Q \"the\" shop", "Retail", 2024, "stars", "Stars, five", 1, 5, 4.25, 3, "x,y"});
  const auto again = parse_ratings_csv(write_ratings_csv(rows), "stored");
  ASSERT_TRUE(again.rows) << model::format(*again.error);
  ASSERT_EQ(again.rows->size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& a = rows[i];
    const auto& b = (*again.rows)[i];
    EXPECT_EQ(std::tie(a.company, a.industry, a.year, a.metric, a.name, a.scale_min, a.scale_max,
                       a.value, a.respondents, a.source),
              std::tie(b.company, b.industry, b.year, b.metric, b.name, b.scale_min, b.scale_max,
                       b.value, b.respondents, b.source));
  }
}

TEST(RatingsCsv, TheFirstProblemWithItsLineAndColumn) {
  const std::string header = "company,industry,year,metric,value,respondents\n";
  EXPECT_EQ(csv_error(header + "A,Retail,2025,nps,31,\nB,Retail,2025,csat,80,\nC,Retail,2025,nps,"
                               "1,\nD,Retail,2025,csat,140,\n"),
            "ratings.csv:5:5: value 140 is outside the scale of csat (0 to 100)");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,nps,-101,\n"),
            "ratings.csv:2:5: value -101 is outside the scale of nps (-100 to 100)");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,ces,0.5,\n"),
            "ratings.csv:2:5: value 0.5 is outside the scale of ces (1 to 7)");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,nps,high,\n"),
            "ratings.csv:2:5: value 'high' is not a number (e.g. 42 or 7.5)");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,nps,nan,\n"),
            "ratings.csv:2:5: value 'nan' is not a number (e.g. 42 or 7.5)");
  EXPECT_EQ(csv_error(header + "A,Retail,25,nps,3,\n"),
            "ratings.csv:2:3: year '25' is not a year as YYYY (from 1900)");
  EXPECT_EQ(csv_error(header + ",Retail,2025,nps,3,\n"), "ratings.csv:2:1: company is empty");
  EXPECT_EQ(csv_error(header + "A,,2025,nps,3,\n"), "ratings.csv:2:2: industry is empty");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,nps,3,0\n"),
            "ratings.csv:2:6: respondents '0' is not a whole number of customers from 1 (or empty "
            "when unknown)");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,nps,3,2.5\n"),
            "ratings.csv:2:6: respondents '2.5' is not a whole number of customers from 1 (or "
            "empty when unknown)");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,net-promoter,3,\n"),
            "ratings.csv:2:4: metric 'net-promoter' is not nps, csat, ces or a named rating's id "
            "(a letter, then letters, digits or '_'; at most 40)");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,nps,3\n"),
            "ratings.csv:2: expected 6 columns, found 5");
  EXPECT_EQ(csv_error(header + "\"A,Retail,2025,nps,3,\n"),
            "ratings.csv:2: malformed CSV: unterminated quoted field");
  EXPECT_EQ(csv_error(header + "\"A\nB\",Retail,2025,nps,3,\n"),
            "ratings.csv:2:1: company has a control character or line break");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,nps,3,\na,retail,2025,nps,4,\n"),
            "ratings.csv:3:1: company 'a' has a second nps rating for 2025 in retail (line 2 has "
            "the first)");
  EXPECT_EQ(csv_error(header + "A,Ret\xC3"
                               "ail,2025,nps,3,\n"),
            "ratings.csv:2:6: invalid UTF-8 byte sequence");
}

TEST(RatingsCsv, BadHeaders) {
  EXPECT_EQ(csv_error(""),
            "ratings.csv: the file is empty; expected a header company,industry,year,metric,value "
            "(and optionally name,scale_min,scale_max,respondents,source)");
  EXPECT_EQ(csv_error("company,industry,year,metric\nA,Retail,2025,nps\n"),
            "ratings.csv:1: the header has no column 'value' (expected company,industry,year,"
            "metric,value (and optionally name,scale_min,scale_max,respondents,source))");
  EXPECT_EQ(csv_error("company,industry,year,metric,value,colour\n"),
            "ratings.csv:1:6: column 'colour' is not one of company,industry,year,metric,value "
            "(and optionally name,scale_min,scale_max,respondents,source)");
  EXPECT_EQ(csv_error("company,industry,year,metric,value,Value\n"),
            "ratings.csv:1:6: column 'value' appears twice");
  EXPECT_EQ(csv_error("company,industry,year,metric,value\n"),
            "ratings.csv:1: no ratings: the file has only a header");
}

TEST(RatingsCsv, ScalesOfBuiltinAndNamedRatings) {
  const std::string header = "company,industry,year,metric,name,scale_min,scale_max,value\n";
  EXPECT_EQ(csv_error(header + "A,Retail,2025,nps,,0,10,5\n"),
            "ratings.csv:2:6: scale_min '0' is not the scale of nps (-100 to 100; leave it empty)");
  EXPECT_TRUE(parse_ratings_csv(header + "A,Retail,2025,nps,,-100,100,5\n", "f").rows);
  EXPECT_EQ(csv_error(header + "A,Retail,2025,nps,Promoters,,,5\n"),
            "ratings.csv:2:5: name is for a named rating; nps is cxm's Net Promoter Score (leave "
            "name empty)");
  EXPECT_EQ(
      csv_error(header + "A,Retail,2025,stars,Stars,1,,4\n"),
      "ratings.csv:2:7: scale_max '' is not a number: a named rating (stars) needs its scale");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,stars,Stars,5,1,4\n"),
            "ratings.csv:2:7: scale_max 1 is not above scale_min 5");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,stars,Stars,1,5,5.5\n"),
            "ratings.csv:2:8: value 5.5 is outside the scale of stars (1 to 5)");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,stars,Stars,1,5,4\nB,Retail,2025,stars,Star "
                               "rating,1,5,4\n"),
            "ratings.csv:3:5: name 'Star rating' differs from 'Stars', the name of stars (1 to 5) "
            "above");
  EXPECT_EQ(csv_error(header + "A,Retail,2025,stars," + std::string(81, 'x') + ",1,5,4\n"),
            "ratings.csv:2:5: name is longer than 80 characters");
}

TEST(RatingsJson, ReadsRowsAndMetadata) {
  const auto parsed = parse_ratings_json(R"J({
    "metadata": {"name": "Index", "source": "Example Institute", "citation": "EI (2026)",
                 "licence": "CC-BY-4.0", "date": "2026-02-01", "synthetic": true},
    "rows": [
      {"company": "Retailer 01", "industry": "Retail", "year": 2025, "metric": "nps", "value": 31,
       "respondents": 1200, "source": "EI"},
      {"company": "Retailer 02", "industry": "Retail", "year": 2025, "metric": "stars",
       "name": "Stars", "scale_min": 1, "scale_max": 5, "value": 4.5, "respondents": null}
    ]})J");
  ASSERT_TRUE(parsed.dataset) << parsed.error;
  EXPECT_EQ(parsed.dataset->metadata.name, "Index");
  EXPECT_EQ(parsed.dataset->metadata.licence, "CC-BY-4.0");
  EXPECT_TRUE(parsed.dataset->metadata.synthetic);
  ASSERT_EQ(parsed.dataset->rows.size(), 2u);
  EXPECT_EQ(parsed.dataset->rows[0].respondents, 1200);
  EXPECT_EQ(parsed.dataset->rows[1].name, "Stars");
  EXPECT_EQ(parsed.dataset->rows[1].value, 4.5);
}

TEST(RatingsJson, TheFirstProblemWithItsRowAndField) {
  const std::string ok =
      R"({"company": "A", "industry": "Retail", "year": 2025, "metric": "nps", "value": 1})";
  auto doc = [&](const std::string& bad) { return R"({"rows": [)" + ok + "," + bad + "]}"; };
  EXPECT_EQ(json_error(doc(R"({"company": "B", "industry": "Retail", "year": 2025,
                               "metric": "csat", "value": 140})")),
            "row 2, field value: value 140 is outside the scale of csat (0 to 100)");
  EXPECT_EQ(json_error(doc(R"({"company": "B", "industry": "Retail", "year": "2025",
                               "metric": "csat", "value": 40})")),
            "row 2, field year: must be a whole number (a year as YYYY)");
  EXPECT_EQ(json_error(doc(R"({"company": "B", "industry": "Retail", "year": 2025,
                               "metric": "csat", "value": "40"})")),
            "row 2, field value: must be a number");
  EXPECT_EQ(json_error(doc(R"({"company": "B", "industry": "Retail", "year": 2025,
                               "metric": "csat"})")),
            "row 2, field value: missing");
  EXPECT_EQ(json_error(doc(R"({"company": "B", "industry": "Retail", "year": 2025,
                               "metric": "csat", "value": 40, "colour": "red"})")),
            "row 2, field colour: is not a field of a rating (company,industry,year,metric,value "
            "(and optionally name,scale_min,scale_max,respondents,source))");
  EXPECT_EQ(json_error(doc(R"({"company": "B\nC", "industry": "Retail", "year": 2025,
                               "metric": "csat", "value": 40})")),
            "row 2, field company: has a line break");
  EXPECT_EQ(
      json_error(doc(R"({"company": "a", "industry": "Retail", "year": 2025,
                               "metric": "nps", "value": 40})")),
      "row 2, field company: company 'a' has a second nps rating for 2025 in Retail (row 1 has "
      "the first)");
  EXPECT_EQ(json_error(doc("17")), "row 2: must be an object");
  EXPECT_EQ(json_error(R"({"rows": []})"), "rows: no ratings");
  EXPECT_EQ(json_error(R"({"rows": [], "extra": 1})"), "unknown field 'extra' (metadata, rows)");
  EXPECT_EQ(json_error(R"({"metadata": {"date": "soon"}, "rows": [)" + ok + "]}"),
            "metadata, field date: must be a date as YYYY-MM-DD");
  EXPECT_EQ(json_error("[1, 2]"), "expected an object {\"metadata\": {...}, \"rows\": [...]}");
  EXPECT_EQ(json_error("{\"rows\": [1e999]}").rfind("not valid JSON", 0), 0u);
  EXPECT_EQ(json_error("{\"rows\": "),
            "not valid JSON at line 1, column 10: unexpected end of input; expected '[', '{', or "
            "a literal");
}

}  // namespace
}  // namespace cxm::peers
