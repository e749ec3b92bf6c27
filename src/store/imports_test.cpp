// Survey imports in the store: one transaction, checked in the write
// against the cycle's status and the cycle's earlier imports.
#include <gtest/gtest.h>

#include <algorithm>

#include "../../tests/run_process.h"
#include "store/store.h"

namespace cxm::store {
namespace {

using cxm::testing::TempDir;

class ImportStoreTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::unique_ptr<Store> store =
      Store::open(DatabaseUrl{DatabaseUrl::Kind::sqlite, dir.path() + "/cxm.db"});

  void SetUp() override {
    store->create_organization(
        Organization{"o1", "Acme", "Retail", "50-249", {"Sales", "Support"}, false, 1},
        std::nullopt);
    store->create_cycle(Cycle{"c1", "o1", "Spring", CycleStatus::open, "yaml", true, 3,
                              std::nullopt, std::nullopt, 1});
  }

  static ImportedRespondent respondent(const std::string& id, const std::string& key,
                                       std::optional<int> value) {
    ImportedRespondent r;
    r.participant =
        Participant{id, "c1", "", "executive", "Sales", false, 50, 50, "", std::nullopt};
    r.participant.import_id = "i";
    r.source_key = key;
    r.answers = {StoredAnswer{"LS2", value}, StoredAnswer{"LS3", 3}};
    return r;
  }
  static SurveyImport import_record(const std::string& id) {
    return SurveyImport{id, "c1", "x.csv", "limesurvey", 2, "u1", 50};
  }
};

TEST_F(ImportStoreTest, ImportedRespondentsAreSubmittedParticipantsWithTheirAnswers) {
  const auto before = store->find_cycle("c1")->answers_version;
  const auto written = store->import_respondents(
      import_record("i1"), {respondent("p1", "k1", 4), respondent("p2", "k2", std::nullopt)});
  ASSERT_EQ(written.outcome, ImportOutcome::imported);
  EXPECT_GT(store->find_cycle("c1")->answers_version, before);  // cached reports must go
  const auto people = store->participants_of("c1");
  ASSERT_EQ(people.size(), 2u);
  for (const auto& p : people) {
    EXPECT_EQ(p.import_id, "i1");
    EXPECT_EQ(p.submitted_at, 50);
    EXPECT_EQ(p.role, "executive");
  }
  const auto answers = store->cycle_answers("c1");
  ASSERT_EQ(answers.size(), 2u);
  ASSERT_EQ(answers[1].answers.size(), 2u);
  EXPECT_FALSE(answers[1].answers[0].value.has_value());  // "don't know" stays a null, not a number
  const auto imports = store->imports_of("c1");
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].file_name, "x.csv");
  EXPECT_EQ(imports[0].respondents, 2);
  auto keys = store->imported_source_keys("c1");
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"k1", "k2"}));
  // No link opens an imported respondent; a claim finds them submitted.
  EXPECT_EQ(store->claim_link("p1", "claim", "resume"), ClaimOutcome::submitted);
}

TEST_F(ImportStoreTest, ARespondentImportedBeforeRefusesTheWholeImport) {
  ASSERT_EQ(store->import_respondents(import_record("i1"), {respondent("p1", "k1", 4)}).outcome,
            ImportOutcome::imported);
  const auto again = store->import_respondents(
      import_record("i2"), {respondent("p2", "k2", 2), respondent("p3", "k1", 5)});
  EXPECT_EQ(again.outcome, ImportOutcome::already_imported);
  EXPECT_EQ(again.repeated, std::vector<std::string>{"k1"});
  EXPECT_EQ(store->participants_of("c1").size(), 1u);  // not even p2
  EXPECT_EQ(store->imports_of("c1").size(), 1u);
}

// Anonymous cycle, k = 3, one real respondent: two made-up imported rows
// must not release that person's answers (SPEC section 8). The release
// needs k respondents who answered themselves; imported rows go with them.
TEST_F(ImportStoreTest, ImportedRowsNeverMakeUpAnAnonymousRelease) {
  auto answer_in_person = [&](const std::string& id) {
    ASSERT_TRUE(store->create_participants(
        {Participant{id, "c1", "", "", "Support", false, std::nullopt, 3}}, {"hash-" + id}));
    ASSERT_EQ(store->claim_link(id, "claim-" + id, "resume-" + id), ClaimOutcome::claimed);
    ASSERT_EQ(store->save_answers(id, "claim-" + id, {{"LS2", 3}}, 10).refusal, LinkRefusal::none);
    ASSERT_EQ(store->submit(id, "claim-" + id, 11), LinkRefusal::none);
  };
  auto close_and_reopen = [&] {
    EXPECT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, 1000),
              CycleChange::done);
    const int releases = store->find_cycle("c1")->releases;
    EXPECT_EQ(store->transition_cycle("c1", CycleStatus::closed, CycleStatus::open, 1000),
              CycleChange::done);
    return releases;
  };
  answer_in_person("real1");
  ASSERT_EQ(store
                ->import_respondents(import_record("i1"),
                                     {respondent("made1", "k1", 1), respondent("made2", "k2", 1)})
                .outcome,
            ImportOutcome::imported);
  EXPECT_EQ(close_and_reopen(), 0);  // 3 submissions, 1 answered in person: held back
  EXPECT_FALSE(store->find_participant("real1")->released_in);
  answer_in_person("real2");
  answer_in_person("real3");
  EXPECT_EQ(close_and_reopen(), 1);
  for (const std::string id : {"real1", "real2", "real3", "made1", "made2"})
    EXPECT_EQ(store->find_participant(id)->released_in, 1) << id;
}

// A key stored before ids were compared normalized is the hash of the id
// as typed: a respondent whose typed key is stored is refused too, and
// only the normalized key is stored.
TEST_F(ImportStoreTest, AKeyStoredAsTypedRefusesTheSameIdTypedAgain) {
  ASSERT_EQ(store->import_respondents(import_record("i1"), {respondent("p1", "typed", 4)}).outcome,
            ImportOutcome::imported);
  auto r = respondent("p2", "normalized", 2);
  r.typed_key = "typed";
  const auto again = store->import_respondents(import_record("i2"), {r});
  EXPECT_EQ(again.outcome, ImportOutcome::already_imported);
  EXPECT_EQ(store->participants_of("c1").size(), 1u);
  r.typed_key = "other";
  ASSERT_EQ(store->import_respondents(import_record("i3"), {r}).outcome, ImportOutcome::imported);
  auto keys = store->imported_source_keys("c1");
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"normalized", "typed"}));
}

TEST_F(ImportStoreTest, OnlyAnOpenCycleTakesAnImport) {
  ASSERT_EQ(store->transition_cycle("c1", CycleStatus::open, CycleStatus::closed, 60),
            CycleChange::done);
  EXPECT_EQ(store->import_respondents(import_record("i1"), {respondent("p1", "k1", 4)}).outcome,
            ImportOutcome::cycle_not_open);
  SurveyImport elsewhere = import_record("i2");
  elsewhere.cycle_id = "nope";
  EXPECT_EQ(store->import_respondents(elsewhere, {}).outcome, ImportOutcome::not_found);
  EXPECT_TRUE(store->participants_of("c1").empty());
  EXPECT_TRUE(store->imports_of("c1").empty());
}

}  // namespace
}  // namespace cxm::store
