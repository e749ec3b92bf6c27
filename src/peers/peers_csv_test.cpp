#include "peers/peers_csv.h"

#include <gtest/gtest.h>

namespace cxm::peers {
namespace {

const std::string kHeader =
    "organization,industry,size_band,region,assessed_on,model_id,stage,overall,leadership,"
    "insight\n";

// The error as "line:column: message", or "ok".
std::string problem(const std::string& text) {
  const auto r = parse_peers_csv(text, "peers.csv");
  EXPECT_NE(r.table.has_value(), r.error.has_value());
  if (r.table) return "ok";
  return std::to_string(r.error->line) + ":" + std::to_string(r.error->column) + ": " +
         r.error->message;
}

TEST(PeersCsv, ReadsEveryColumnInAnyOrderWithQuotesAndMissingCells) {
  const auto r = parse_peers_csv(
      "\xEF\xBB\xBF"
      "Insight,overall,stage,model_id,assessed_on,region,size_band,industry,organization\r\n"
      "65,55.5,3,cx-maturity,2025-01-15,EU,250-999,Retail,\"Peer, one\"\r\n"
      ",41,2,cx-maturity,2024-02-29,,,,p2\r\n"
      "NA,0,1,cx-maturity,2024-03-01,US,1-49,Banking,p3\r\n",
      "peers.csv");
  ASSERT_TRUE(r.table) << r.error->message;
  const auto& t = *r.table;
  EXPECT_EQ(t.competency_ids, std::vector<std::string>{"Insight"});
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].organization, "Peer, one");
  EXPECT_EQ(t.rows[0].industry, "Retail");
  EXPECT_EQ(t.rows[0].size_band, "250-999");
  EXPECT_EQ(t.rows[0].region, "EU");
  EXPECT_EQ(core::format_iso_date(t.rows[0].assessed_on), "2025-01-15");
  EXPECT_EQ(t.rows[0].model_id, "cx-maturity");
  EXPECT_EQ(t.rows[0].stage, 3);
  EXPECT_DOUBLE_EQ(t.rows[0].overall, 55.5);
  EXPECT_EQ(t.rows[0].competencies[0], 65.0);
  EXPECT_FALSE(t.rows[1].competencies[0]);
  EXPECT_EQ(t.rows[1].industry, "");
  EXPECT_FALSE(t.rows[2].competencies[0]);
}

TEST(PeersCsv, NamesTheRowAndColumnOfEveryBadCell) {
  const std::string ok = "p1,Retail,250-999,EU,2025-01-15,cx-maturity,3,55.5,60,70\n";
  EXPECT_EQ(problem(kHeader + ok), "ok");
  EXPECT_EQ(problem(kHeader + ok + ",Retail,250-999,EU,2025-01-15,cx-maturity,3,55.5,60,70\n"),
            "3:1: organization is empty");
  EXPECT_EQ(problem(kHeader + "p1,Retail,250-999,EU,2025-02-30,cx-maturity,3,55.5,60,70\n"),
            "2:5: assessed_on '2025-02-30' is not a date as YYYY-MM-DD (from 1900)");
  EXPECT_EQ(problem(kHeader + "p1,Retail,250-999,EU,15/01/2025,cx-maturity,3,55.5,60,70\n"),
            "2:5: assessed_on '15/01/2025' is not a date as YYYY-MM-DD (from 1900)");
  EXPECT_EQ(problem(kHeader + "p1,Retail,250-999,EU,2025-01-15,,3,55.5,60,70\n"),
            "2:6: model_id is empty");
  EXPECT_EQ(problem(kHeader + "p1,Retail,250-999,EU,2025-01-15,cx-maturity,0,55.5,60,70\n"),
            "2:7: stage '0' is not a stage number 1..20");
  EXPECT_EQ(problem(kHeader + "p1,Retail,250-999,EU,2025-01-15,cx-maturity,3.5,55.5,60,70\n"),
            "2:7: stage '3.5' is not a stage number 1..20");
  EXPECT_EQ(problem(kHeader + "p1,Retail,250-999,EU,2025-01-15,cx-maturity,3,,60,70\n"),
            "2:8: overall '' is not a number (write a score from 0 to 100, e.g. 57.5)");
  EXPECT_EQ(problem(kHeader + "p1,Retail,250-999,EU,2025-01-15,cx-maturity,3,100.5,60,70\n"),
            "2:8: overall 100.5 is outside 0..100");
  EXPECT_EQ(problem(kHeader + "p1,Retail,250-999,EU,2025-01-15,cx-maturity,3,nan,60,70\n"),
            "2:8: overall 'nan' is not a number (write a score from 0 to 100, e.g. 57.5)");
  EXPECT_EQ(problem(kHeader + "p1,Retail,250-999,EU,2025-01-15,cx-maturity,3,50,60,-1\n"),
            "2:10: insight -1 is outside 0..100");
  EXPECT_EQ(problem(kHeader + "p1,Retail,250-999,EU,2025-01-15,cx-maturity,3,50,6O,1\n"),
            "2:9: leadership '6O' is not a number (write a score from 0 to 100, e.g. 57.5)");
  EXPECT_EQ(problem(kHeader + "p1,Retail,250-999,EU,2025-01-15,cx-maturity,3,50,60\n"),
            "2:0: expected 10 columns, found 9");
  EXPECT_EQ(problem(kHeader + "p1,\"Retail,250-999,EU,2025-01-15,cx-maturity,3,50,60,1\n"),
            "2:0: malformed CSV: unterminated quoted field");
  EXPECT_EQ(problem(kHeader + "p1," + std::string(201, 'x') +
                    ",250-999,EU,2025-01-15,cx-maturity,3,50,60,1\n"),
            "2:2: industry is longer than 200 characters");
  EXPECT_EQ(problem(kHeader + "p1,Re\xC3\x28il,250-999,EU,2025-01-15,cx-maturity,3,50,60,1\n"),
            "2:6: invalid UTF-8 byte sequence");
}

TEST(PeersCsv, ChecksTheHeader) {
  EXPECT_EQ(
      problem(""),
      "0:0: the file is empty; expected a header "
      "organization,industry,size_band,region,assessed_on,model_id,stage,overall,<competency ids>");
  EXPECT_EQ(problem(kHeader), "1:0: no assessments: the file has only a header");
  EXPECT_EQ(
      problem("organization,industry,size_band,region,assessed_on,model_id,stage\np,i,s,r,2025-01-"
              "01,m,1\n"),
      "1:0: the header has no column 'overall' (expected organization,industry,size_band,region,"
      "assessed_on,model_id,stage,overall,<competency ids>)");
  EXPECT_EQ(
      problem("organization,industry,size_band,region,assessed_on,model_id,stage,overall,a,A\n"),
      "1:10: column 'A' appears twice");
  EXPECT_EQ(
      problem("organization,industry,size_band,region,assessed_on,model_id,stage,overall,a b\n"),
      "1:9: column 'a b' is not a competency id (letters, digits, '_', '-', '.'; at most 64)");
  EXPECT_EQ(problem("organization,industry,size_band,region,assessed_on,model_id,stage,overall,\n"),
            "1:9: column '' is not a competency id (letters, digits, '_', '-', '.'; at most 64)");
}

TEST(PeersCsv, SizeBandsAreReadInTheirCanonicalForm) {
  const auto r =
      parse_peers_csv(kHeader + "p1,Retail,250\u2013999,EU,2025-01-15,cx-maturity,3,55.5,60,70\n" +
                          "p2,Retail,\"1,000 - 4,999\",EU,2025-01-15,cx-maturity,3,55.5,60,70\n" +
                          "p3,Retail,Large,EU,2025-01-15,cx-maturity,3,55.5,60,70\n",
                      "peers.csv");
  ASSERT_TRUE(r.table) << r.error->message;
  EXPECT_EQ(r.table->rows[0].size_band, "250-999");
  EXPECT_EQ(r.table->rows[1].size_band, "1000-4999");
  EXPECT_EQ(r.table->rows[2].size_band, "Large");
}

TEST(PeersCsv, TruncatedFilesAreRejectedOrReadWhole) {
  const std::string full = kHeader + "p1,Retail,250-999,EU,2025-01-15,cx-maturity,3,55.5,60,70\n";
  for (std::size_t cut = 0; cut < full.size(); ++cut) {
    const auto r = parse_peers_csv(full.substr(0, cut), "peers.csv");
    ASSERT_NE(r.table.has_value(), r.error.has_value());
    if (r.table) {
      // Only a cut inside the last number still makes a valid row.
      ASSERT_EQ(r.table->rows.size(), 1u);
      ASSERT_GE(cut, full.size() - 3);
    }
  }
}

}  // namespace
}  // namespace cxm::peers
