#include "peers/peers_json.h"

#include <gtest/gtest.h>

#include "peers/peers_csv.h"

namespace cxm::peers {
namespace {

const std::string kMeta =
    R"j("metadata": {"name": "Clients 2025", "source": "Example Consulting", "citation": "Example (2025)",
                    "licence": "CC-BY-4.0", "date": "2025-12-01"})j";

std::string row(const std::string& extra = "") {
  return R"({"organization": "p1", "industry": "Retail", "size_band": "250-999", "region": "EU",
             "assessed_on": "2025-01-15", "model_id": "cx-maturity", "stage": 3, "overall": 55.5,
             "leadership": 60, "insight": null)" +
         extra + "}";
}

std::string problem(const std::string& text) {
  const auto r = parse_peers_json(text);
  EXPECT_NE(r.dataset.has_value(), !r.error.empty());
  return r.dataset ? "ok" : r.error;
}

// The same dataset as JSON and as PEERS.csv reads the same.
TEST(PeersJson, ReadsTheColumnsOfPeersCsvWithTheProvenance) {
  const auto r = parse_peers_json(
      "{" + kMeta + R"(, "rows": [)" + row() + "," +
      R"({"organization": "p2, \"two\"", "assessed_on": "2024-02-29", "model_id": "cx-maturity",
                                      "stage": 2, "overall": 41, "insight": 30.25, "industry": null}]})");
  ASSERT_TRUE(r.dataset) << r.error;
  const auto& d = *r.dataset;
  EXPECT_EQ(d.metadata.name, "Clients 2025");
  EXPECT_EQ(d.metadata.source, "Example Consulting");
  EXPECT_EQ(d.metadata.citation, "Example (2025)");
  EXPECT_EQ(d.metadata.licence, "CC-BY-4.0");
  EXPECT_EQ(d.metadata.date, "2025-12-01");
  EXPECT_FALSE(d.metadata.synthetic);
  EXPECT_EQ(d.table.competency_ids, (std::vector<std::string>{"leadership", "insight"}));
  ASSERT_EQ(d.table.rows.size(), 2u);
  EXPECT_EQ(d.table.rows[1].organization, "p2, \"two\"");
  EXPECT_EQ(d.table.rows[1].industry, "");
  EXPECT_DOUBLE_EQ(d.table.rows[0].overall, 55.5);
  EXPECT_EQ(d.table.rows[0].competencies[0], 60.0);
  EXPECT_FALSE(d.table.rows[0].competencies[1]);
  EXPECT_EQ(d.table.rows[1].competencies[1], 30.25);
  EXPECT_FALSE(d.table.rows[1].competencies[0]);  // absent: no score
  // The stored form is PEERS.csv, and reads back the same.
  const auto again = parse_peers_csv(d.csv, "stored");
  ASSERT_TRUE(again.table);
  EXPECT_EQ(again.table->rows.size(), 2u);
  EXPECT_EQ(again.table->rows[1].organization, "p2, \"two\"");
  EXPECT_TRUE(looks_like_json("\n  {\"rows\": []}"));
  EXPECT_FALSE(looks_like_json("organization,industry\n"));
}

// Every problem names its row and field; nothing is returned with it.
TEST(PeersJson, NamesTheRowAndFieldOfEachProblem) {
  auto rows = [](const std::string& second) {
    return "{" + kMeta + R"(, "rows": [)" + row() + "," + second + "]}";
  };
  EXPECT_EQ(
      problem(rows(
          R"({"organization": "p2", "assessed_on": "2025-01-01", "model_id": "m", "stage": 2, "overall": 101})")),
      "row 2, field overall: overall 101 is outside 0..100");
  EXPECT_EQ(
      problem(rows(
          R"({"organization": "p2", "assessed_on": "2025-01-01", "model_id": "m", "stage": 2, "overall": "55"})")),
      "row 2, field overall: must be a number from 0 to 100");
  EXPECT_EQ(
      problem(rows(
          R"({"organization": "p2", "assessed_on": "2025-01-01", "model_id": "m", "stage": 2.5, "overall": 5})")),
      "row 2, field stage: must be a whole number (a stage 1..20)");
  EXPECT_EQ(
      problem(rows(
          R"({"organization": "p2", "assessed_on": "2025-01-01", "model_id": "m", "stage": 0, "overall": 5})")),
      "row 2, field stage: stage '0' is not a stage number 1..20");
  EXPECT_EQ(
      problem(rows(
          R"({"organization": "p2", "assessed_on": "yesterday", "model_id": "m", "stage": 2, "overall": 5})")),
      "row 2, field assessed_on: assessed_on 'yesterday' is not a date as YYYY-MM-DD (from 1900)");
  EXPECT_EQ(
      problem(rows(R"({"assessed_on": "2025-01-01", "model_id": "m", "stage": 2, "overall": 5})")),
      "row 2, field organization: missing");
  EXPECT_EQ(
      problem(rows(
          R"({"organization": "", "assessed_on": "2025-01-01", "model_id": "m", "stage": 2, "overall": 5})")),
      "row 2, field organization: organization is empty");
  EXPECT_EQ(
      problem(rows(
          R"({"organization": 7, "assessed_on": "2025-01-01", "model_id": "m", "stage": 2, "overall": 5})")),
      "row 2, field organization: must be text");
  EXPECT_EQ(
      problem(rows(
          R"({"organization": "a\nb", "assessed_on": "2025-01-01", "model_id": "m", "stage": 2, "overall": 5})")),
      "row 2, field organization: has a line break");
  EXPECT_EQ(
      problem(rows(
          R"({"organization": "p2", "assessed_on": "2025-01-01", "model_id": "m", "stage": 2, "overall": 5, "insight": "high"})")),
      "row 2, field insight: must be a number from 0 to 100, or null");
  EXPECT_EQ(
      problem(rows(
          R"({"organization": "p2", "assessed_on": "2025-01-01", "model_id": "m", "stage": 2, "overall": 5, "bad id!": 3})")),
      "row 2, field bad id!: is not a competency id (letters, digits, '_', '-', '.'; at most 64) "
      "nor a column of "
      "PEERS.csv");
  EXPECT_EQ(problem(rows("[]")), "row 2: must be an object");
  EXPECT_EQ(problem("{" + kMeta + R"(, "rows": []})"), "rows: no assessments");
  EXPECT_EQ(problem(R"({"rows": {}})"), "rows: must be a list of assessments");
  EXPECT_EQ(problem(R"({"metadata": {"name": 3}, "rows": [)" + row() + "]}"),
            "metadata, field name: must be text");
  EXPECT_EQ(problem(R"({"metadata": {"date": "soon"}, "rows": [)" + row() + "]}"),
            "metadata, field date: must be a date as YYYY-MM-DD");
  EXPECT_EQ(problem(R"({"metadata": {"url": "x"}, "rows": [)" + row() + "]}"),
            "metadata: unknown field 'url' (name, source, citation, licence, date, synthetic)");
  EXPECT_EQ(problem(R"({"rows": [)" + row() + R"(], "extra": 1})"),
            "unknown field 'extra' (metadata, rows)");
  EXPECT_EQ(problem("[1, 2]"), "expected an object {\"metadata\": {...}, \"rows\": [...]}");
  EXPECT_EQ(problem("{\"rows\": [1,]}"),
            "not valid JSON at line 1, column 13: unexpected ']'; expected '[', '{', or a literal");
  EXPECT_EQ(problem("{\"rows\": [\"\xff\"]}").substr(0, 14), "not valid JSON");
  EXPECT_EQ(problem("").substr(0, 14), "not valid JSON");
  // A number beyond a double is refused, not thrown (found by the fuzzer).
  EXPECT_EQ(problem("4e444").substr(0, 15), "not valid JSON:");
  EXPECT_EQ(problem(R"({"rows": [{"overall": 1e400}]})").substr(0, 15), "not valid JSON:");
  // Synthetic data says so.
  const auto synthetic =
      parse_peers_json(R"({"metadata": {"synthetic": true}, "rows": [)" + row() + "]}");
  ASSERT_TRUE(synthetic.dataset);
  EXPECT_TRUE(synthetic.dataset->metadata.synthetic);
}

}  // namespace
}  // namespace cxm::peers
