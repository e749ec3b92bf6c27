// Survey-tool exports imported into a cycle over HTTP: preview, all or
// nothing, open cycles only, imported respondents in anonymous cycles.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "server_fixture.h"

namespace cxm::testing {
namespace {

using nlohmann::json;

// Survey imports (docs/import.md): a survey tool's CSV export into a cycle.
std::string base64(const std::string& bytes) {
  static const char* const kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (i < bytes.size()) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (i + 1 < bytes.size() ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string test_data(const std::string& name) {
  std::ifstream in(std::string(CXM_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

json import_request(const std::string& file_name, const std::string& csv, bool preview,
                    const std::string& mapping = "limesurvey") {
  return {{"file_name", file_name},
          {"csv_base64", base64(csv)},
          {"mapping", mapping},
          {"preview", preview}};
}

// An export of the questionnaire run in German (LimeSurvey's German headings,
// the statements' German text, German answer texts) reads into a cycle of
// the built-in model, which comes in German too.
TEST_P(ServerTest, AGermanLimeSurveyExportReadsIntoACycle) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const std::string path = "/api/cycles/" + cycle + "/imports";
  const std::string csv = test_data("limesurvey_export_de.csv");
  const auto preview =
      admin.send("POST", path, import_request("limesurvey_export_de.csv", csv, true).dump());
  ASSERT_EQ(preview.status, 200) << preview.body;
  const json shown = body_of(preview)["preview"];
  EXPECT_EQ(shown["respondent_column"], "Antwort ID");
  EXPECT_EQ(shown["rows"], 4);
  EXPECT_EQ(shown["respondents"], 3);
  EXPECT_EQ(shown["items"].size(), 49u);
  EXPECT_EQ(shown["unmapped_columns"], json::array());
  bool agreed = false;
  for (const auto& l : shown["labels"])
    agreed = agreed || (l["label"] == "Stimme voll zu" && l["value"] == 5);
  EXPECT_TRUE(agreed) << shown["labels"];
}

TEST_P(ServerTest, APreviewThenTheImportCountsAndMarksTheRespondents) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const std::string path = "/api/cycles/" + cycle + "/imports";
  const std::string csv = test_data("limesurvey_export.csv");

  const auto preview =
      admin.send("POST", path, import_request("limesurvey_export.csv", csv, true).dump());
  ASSERT_EQ(preview.status, 200) << preview.body;
  const json shown = body_of(preview);
  EXPECT_TRUE(shown["ok"].get<bool>()) << preview.body;
  EXPECT_EQ(shown["preview"]["rows"], 12);
  EXPECT_EQ(shown["preview"]["skipped_rows"], 2);
  EXPECT_EQ(shown["preview"]["respondents"], 10);
  EXPECT_EQ(shown["preview"]["items"].size(), 49u);
  EXPECT_EQ(shown["preview"]["unmapped_columns"], json({"CXcomment"}));
  // A preview writes nothing.
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"].size(), 0u);
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/responses"))["total"]["submitted"], 0);

  const auto imported =
      admin.send("POST", path, import_request("limesurvey_export.csv", csv, false).dump());
  ASSERT_EQ(imported.status, 201) << imported.body;
  const json created = body_of(imported);
  EXPECT_EQ(created["import"]["respondents"], 10);
  EXPECT_EQ(created["import"]["file_name"], "limesurvey_export.csv");
  EXPECT_EQ(created["import"]["mapping"], "limesurvey");

  // Listed as imported, counted like submissions, scored in the report.
  const json listed = body_of(admin.get("/api/cycles/" + cycle + "/invitations"));
  ASSERT_EQ(listed["invitations"].size(), 10u);
  for (const auto& p : listed["invitations"]) {
    EXPECT_EQ(p["imported_from"], "limesurvey_export.csv");
    EXPECT_TRUE(p["submitted"].get<bool>());
  }
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/responses"))["total"]["submitted"], 10);
  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(report["respondents"], 10);
  const json imports = body_of(admin.get(path));
  ASSERT_EQ(imports["imports"].size(), 1u);
  EXPECT_EQ(imports["imports"][0]["respondents"], 10);
  EXPECT_EQ(imports["mappings"][0]["name"], "limesurvey");
  const auto page = admin.get("/api/cycles/" + cycle + "/report.html");
  EXPECT_NE(page.body.find("10 of the respondents were imported from a survey tool"),
            std::string::npos);

  // The same file again: refused, named, and nothing doubles.
  const auto again =
      admin.send("POST", path, import_request("limesurvey_export.csv", csv, false).dump());
  EXPECT_EQ(again.status, 422) << again.body;
  EXPECT_NE(body_of(again)["error"]["message"].get<std::string>().find(
                "10 of these respondents were imported into this cycle before"),
            std::string::npos)
      << again.body;
  const json repeated =
      body_of(admin.send("POST", path, import_request("limesurvey_export.csv", csv, true).dump()));
  EXPECT_FALSE(repeated["ok"].get<bool>());
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/responses"))["total"]["submitted"], 10);

  // Another tool's export of other people: a second import adds to the first.
  const auto formbricks = admin.send(
      "POST", path,
      import_request("formbricks.csv", test_data("formbricks_export.csv"), false, "formbricks")
          .dump());
  ASSERT_EQ(formbricks.status, 201) << formbricks.body;
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/responses"))["total"]["submitted"], 20);
}

// Issue 22: after "r1", the ids "R1", "r1" with a zero-width space and
// "r1." were imported again, each counted as one more person (towards an
// anonymous group's k too). Ids compare after normalization
// (answers/respondent_key.h), against earlier imports and within a file.
TEST_P(ServerTest, ARetypedIdIsTheSameRespondent) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const std::string path = "/api/cycles/" + cycle + "/imports";
  auto export_of = [](const std::vector<std::string>& ids) {
    std::string csv = "id,submitdate,CX[LS2b]\n";
    for (const auto& id : ids) csv += id + ",2026-03-01 09:00:00,4\n";
    return csv;
  };
  auto submitted = [&] {
    return body_of(admin.get("/api/cycles/" + cycle + "/responses"))["total"]["submitted"];
  };
  const auto first =
      admin.send("POST", path, import_request("a.csv", export_of({"r1"}), false).dump());
  ASSERT_EQ(first.status, 201) << first.body;
  for (const std::string id : {"R1", "r1\u200b", "r1.", "\ufeffR1", "\uff52\uff11", "(r1)"}) {
    SCOPED_TRACE(id);
    const auto again =
        admin.send("POST", path, import_request("b.csv", export_of({id}), false).dump());
    EXPECT_EQ(again.status, 422) << again.body;
    EXPECT_NE(body_of(again)["error"]["message"].get<std::string>().find(
                  "1 of these respondents were imported into this cycle before"),
              std::string::npos)
        << again.body;
  }
  EXPECT_EQ(submitted(), 1);
  // Within one export too.
  const auto twice =
      admin.send("POST", path, import_request("c.csv", export_of({"r2", "R2."}), false).dump());
  EXPECT_EQ(twice.status, 422) << twice.body;
  EXPECT_NE(body_of(twice)["error"]["message"].get<std::string>().find(
                "duplicate respondent id 'R2.' (also in row 2 as 'r2')"),
            std::string::npos)
      << twice.body;
  // Another id is another person.
  const auto other =
      admin.send("POST", path, import_request("d.csv", export_of({"r1-b", "r11"}), false).dump());
  EXPECT_EQ(other.status, 201) << other.body;
  EXPECT_EQ(submitted(), 3);
}

TEST_P(ServerTest, AnImportIsAllOrNothing) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org, false);
  const std::string path = "/api/cycles/" + cycle + "/imports";
  const std::string csv =
      "id,submitdate,unit,CX[LS2b],CX[LS3]\n"
      "1,2026-01-01,Sales,A1,A2\n"
      "2,2026-01-01,Sales,A3,Agree strongly\n"
      "3,2026-01-01,Marketing,A3,A4\n";
  const json preview = body_of(admin.send("POST", path, import_request("x.csv", csv, true).dump()));
  EXPECT_FALSE(preview["ok"].get<bool>());
  ASSERT_EQ(preview["problems"].size(), 1u) << preview.dump();
  EXPECT_EQ(preview["problems"][0]["row"], 3);
  EXPECT_EQ(preview["problems"][0]["column"], 5);
  EXPECT_EQ(preview["problems"][0]["heading"], "CX[LS3]");
  EXPECT_NE(preview["problems"][0]["message"].get<std::string>().find("'Agree strongly'"),
            std::string::npos);

  const auto refused = admin.send("POST", path, import_request("x.csv", csv, false).dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(body_of(refused)["error"]["code"], "invalid_export");
  EXPECT_EQ(body_of(refused)["error"]["message"],
            "x.csv: row 3, column 5 (E) 'CX[LS3]': unknown answer label 'Agree strongly' for item "
            "LS3 (known: 'A1', 'A2', 'A3', 'A4', 'A5', 'Strongly disagree', 'Disagree', "
            "'Neither agree nor disagree', 'Agree', 'Strongly agree', 'Don't know', 'DK', "
            "'No answer', 'N/A', …)");
  // A unit the organization does not have is a problem too, by row and column.
  std::string fixed = csv;
  fixed.replace(fixed.find("Agree strongly"), 14, "A4");
  const json units = body_of(admin.send("POST", path, import_request("x.csv", fixed, true).dump()));
  ASSERT_EQ(units["problems"].size(), 1u) << units.dump();
  EXPECT_EQ(units["problems"][0]["row"], 4);
  EXPECT_EQ(units["problems"][0]["column"], 3);
  EXPECT_EQ(units["problems"][0]["message"],
            "'Marketing' is not a unit of this organization (Sales, Support)");
  EXPECT_EQ(admin.send("POST", path, import_request("x.csv", fixed, false).dump()).status, 422);
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"].size(), 0u);
  EXPECT_EQ(body_of(admin.get(path))["imports"].size(), 0u);

  // Not base64, no mapping, an unknown mapping: 422 naming the field.
  json bad = import_request("x.csv", fixed, false);
  bad["csv_base64"] = "%%%";
  EXPECT_EQ(body_of(admin.send("POST", path, bad.dump()))["error"]["message"],
            "csv_base64: not base64");
  bad = import_request("x.csv", fixed, false, "qualtrics");
  EXPECT_EQ(admin.send("POST", path, bad.dump()).status, 422);
  // An uploaded mapping: its problems are named by line and column.
  bad = import_request("x.csv", fixed, true);
  bad.erase("mapping");
  bad["mapping_yaml"] = "respondent: id\nitems: [{pattern: '*'}]\n";
  const json mapped = body_of(admin.send("POST", path, bad.dump()));
  EXPECT_FALSE(mapped["ok"].get<bool>());
  EXPECT_EQ(mapped["problems"][0]["message"],
            "mapping.yaml:2:19: items[0].pattern must hold exactly one {item} or {text}");
  bad["mapping_yaml"] =
      "respondent: id\nunit: unit\nitems: [{pattern: '*[{item}]'}]\nlabels: {A1: 1, A2: 2, A3: 3, "
      "A4: 4}\n";
  bad["csv_base64"] = base64("id,unit,CX[LS2b]\n9,Sales,A4\n");
  bad["preview"] = false;
  const auto uploaded = admin.send("POST", path, bad.dump());
  EXPECT_EQ(uploaded.status, 201) << uploaded.body;
  EXPECT_EQ(body_of(uploaded)["import"]["mapping"], "uploaded mapping");
}

// Issue 22's attack: an anonymous cycle (k = 3) with one real respondent in
// Support; the facilitator imports two made-up Support rows and closes. The
// made-up rows must not make Support a group of 3: the real person's
// answers would follow from the means. The report says why it is hidden and
// how many respondents were imported.
TEST_P(ServerTest, ImportedRowsNeverMakeUpSomeoneElsesGroup) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  std::vector<std::string> tokens;
  for (const char* unit : {"Sales", "Sales", "Sales", "Support"}) {
    const auto r = admin.send("POST", "/api/cycles/" + cycle + "/invitations",
                              json{{"count", 1}, {"role", "manager"}, {"unit", unit}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    tokens.push_back(body_of(r)["invitations"][0]["token"]);
  }
  for (const auto& token : tokens) {
    ASSERT_EQ(put_answers(token, {{"LS2b", 4}}).status, 200);
    ASSERT_EQ(server->request("POST", "/api/r/" + token + "/submit").status, 200);
  }
  // Two made-up Support rows, in the survey tool's format.
  std::istringstream lines(test_data("limesurvey_export.csv"));
  std::string header, line, csv;
  std::getline(lines, header);
  csv = header + "\n";
  int support = 0;
  while (std::getline(lines, line) && support < 2) {
    if (line.find("\"Support\"") == std::string::npos) continue;
    csv += line + "\n";
    ++support;
  }
  ASSERT_EQ(support, 2);
  const auto imported = admin.send("POST", "/api/cycles/" + cycle + "/imports",
                                   import_request("made_up.csv", csv, false).dump());
  ASSERT_EQ(imported.status, 201) << imported.body;
  // The live counts, too: Support's one real person and two imported rows
  // are "fewer than 3", not 3 (else the count would move to 3 the moment
  // that person submits).
  const json counts = body_of(admin.get("/api/cycles/" + cycle + "/responses"));
  for (const auto& unit : counts["by_unit"]) {
    if (unit["unit"] != "Support") continue;
    EXPECT_TRUE(unit["submitted"].is_null()) << unit.dump();
    EXPECT_EQ(unit["fewer_than"], 3);
  }
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);

  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  ASSERT_EQ(report["respondents"], 6) << report.dump();
  EXPECT_EQ(report["imported"], 2);
  for (const auto& unit : report["segments"]["unit"]) {
    EXPECT_TRUE(unit["suppressed"].get<bool>()) << unit.dump();
    if (unit["value"] == "Support") {
      // One who answered: the count is hidden, and so is the reason's number.
      EXPECT_TRUE(unit["respondents"].is_null()) << unit.dump();
      EXPECT_FALSE(unit.contains("imported"));
      EXPECT_NE(unit["reason"].get<std::string>().find("answered themselves"), std::string::npos)
          << unit.dump();
    }
  }
  const json alone = body_of(admin.get("/api/cycles/" + cycle + "/report?unit=Support"));
  EXPECT_TRUE(alone["suppressed"].get<bool>()) << alone.dump();
  EXPECT_FALSE(alone.contains("items"));
}

TEST_P(ServerTest, OnlyAnOpenCycleTakesAnImport) {
  const std::string org = create_org(admin, "Acme");
  const std::string csv = test_data("formbricks_export.csv");
  const auto draft =
      admin.send("POST", "/api/orgs/" + org + "/cycles", json{{"name", "Draft"}}.dump());
  const std::string draft_id = body_of(draft)["id"];
  const auto into_draft = admin.send("POST", "/api/cycles/" + draft_id + "/imports",
                                     import_request("f.csv", csv, false, "formbricks").dump());
  EXPECT_EQ(into_draft.status, 409);
  EXPECT_EQ(body_of(into_draft)["error"]["message"],
            "f.csv: the cycle is a draft; open it to import responses");

  const std::string cycle = create_open_cycle(admin, org);
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json preview = body_of(admin.send("POST", "/api/cycles/" + cycle + "/imports",
                                          import_request("f.csv", csv, true, "formbricks").dump()));
  EXPECT_FALSE(preview["ok"].get<bool>());
  EXPECT_EQ(preview["preview"]["respondents"], 10);  // what it would have done
  const auto closed = admin.send("POST", "/api/cycles/" + cycle + "/imports",
                                 import_request("f.csv", csv, false, "formbricks").dump());
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(body_of(closed)["error"]["code"], "conflict");
  EXPECT_EQ(body_of(admin.get("/api/cycles/" + cycle + "/invitations"))["invitations"].size(), 0u);
}

// In an anonymous cycle imported respondents are published like everyone
// else: at a close, with at least k; none of them can be read or taken out.
TEST_P(ServerTest, ImportedRespondentsOfAnAnonymousCycleArePublishedLikeOthers) {
  const std::string org = create_org(admin, "Acme");
  const std::string cycle = create_open_cycle(admin, org);
  const auto imported =
      admin.send("POST", "/api/cycles/" + cycle + "/imports",
                 import_request("lime.csv", test_data("limesurvey_export.csv"), false).dump());
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_FALSE(body_of(admin.get("/api/cycles/" + cycle + "/report"))
                   .contains("schema"));  // not before the close
  const json listed = body_of(admin.get("/api/cycles/" + cycle + "/invitations"));
  const std::string someone = listed["invitations"][0]["id"];
  const auto revoke =
      admin.send("POST", "/api/cycles/" + cycle + "/invitations/" + someone + "/revoke");
  EXPECT_EQ(revoke.status, 409);
  EXPECT_EQ(body_of(revoke)["error"]["code"], "submitted_anonymous");
  ASSERT_EQ(admin.send("POST", "/api/cycles/" + cycle + "/close").status, 200);
  const json report = body_of(admin.get("/api/cycles/" + cycle + "/report"));
  EXPECT_EQ(report["respondents"], 10);
  EXPECT_EQ(report["anonymity"]["released"], 10);
}

}  // namespace
}  // namespace cxm::testing
