// Drives `cxm assess` through a pseudo-terminal, as a person at a keyboard:
// typing answers, going back, mistyping, pressing Ctrl-C, and resuming.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <vector>

#include "run_process.h"

namespace cxm::testing {
namespace {

// A `cxm assess` process on the slave side of a pseudo-terminal.
class Terminal {
 public:
  explicit Terminal(const std::string& out_path, bool pulse = false, const std::string& lang = "") {
    struct winsize size = {40, 120, 0, 0};
    std::vector<const char*> argv{CXM_BINARY, "assess", "--out", out_path.c_str()};
    if (pulse) argv.push_back("--pulse");
    if (!lang.empty()) {
      argv.push_back("--lang");
      argv.push_back(lang.c_str());
    }
    argv.push_back(nullptr);
    pid_ = forkpty(&master_, nullptr, nullptr, &size);
    if (pid_ == 0) {
      execv(CXM_BINARY, const_cast<char* const*>(argv.data()));
      _exit(127);
    }
    // Keep output when Ctrl-C is typed: by default the line discipline
    // flushes the output queue on INTR, racing with what the program prints
    // in response (a terminal emulator reading continuously loses nothing).
    struct termios modes;
    tcgetattr(master_, &modes);
    modes.c_lflag |= NOFLSH;
    tcsetattr(master_, TCSANOW, &modes);
  }
  ~Terminal() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) close(master_);
  }

  // Reads until `text` appears in the output after the previous match, or
  // gives up after a generous deadline (a hang, not a timing assertion).
  bool expect(const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      const auto at = screen_.find(text, cursor_);
      if (at != std::string::npos) {
        cursor_ = at + text.size();
        return true;
      }
      if (std::chrono::steady_clock::now() > deadline) return false;
      struct pollfd p = {master_, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buffer[4096];
      const ssize_t n = read(master_, buffer, sizeof buffer);
      if (n <= 0) return screen_.find(text, cursor_) != std::string::npos;
      screen_.append(buffer, static_cast<std::size_t>(n));
    }
  }

  void type(const std::string& keys) {
    ASSERT_EQ(write(master_, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
  }

  // Drains the terminal until the child closes it, then reaps the child.
  // Returns its exit status (128 + signal when killed), or -1 on a hang.
  int wait_exit() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      struct pollfd p = {master_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = read(master_, buffer, sizeof buffer);
      if (n <= 0) break;  // EIO: the child closed the terminal
      screen_.append(buffer, static_cast<std::size_t>(n));
    }
    while (std::chrono::steady_clock::now() < deadline + std::chrono::seconds(10)) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      usleep(10000);
    }
    return -1;
  }

  const std::string& screen() const { return screen_; }

 private:
  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string screen_;
  std::size_t cursor_ = 0;
};

nlohmann::json saved_answers(const std::string& path) {
  return nlohmann::json::parse(read_text(path))["respondents"][0];
}

TEST(Assess, CompleteSelfTestWithBackAndMistakes) {
  TempDir dir;
  const std::string out = dir.path() + "/me.json";
  Terminal t(out);
  ASSERT_TRUE(t.expect("49 statements, about 8 minutes"));
  // The model's introduction: who "we" is, the period, what CX means.
  ASSERT_TRUE(t.expect("This questionnaire asks how your organization deals with its customers"));
  ASSERT_TRUE(t.expect("the last six months"));
  ASSERT_TRUE(t.expect("Your role?"));
  t.type("2\n");  // manager
  ASSERT_TRUE(t.expect("1/49"));
  t.type("4\n");
  ASSERT_TRUE(t.expect("2/49"));
  t.type("9\n");  // out of range
  ASSERT_TRUE(t.expect("Please answer 1-5, d, ? (terms), b (back) or q (quit)."));
  t.type("b\n");  // back to the first statement
  ASSERT_TRUE(t.expect("1/49"));
  ASSERT_TRUE(t.expect("(current answer: 4)"));
  t.type("5\n");  // change it; continue at the first unanswered one
  // The stages of each competency's seven statements (model 2.1.0):
  // operations, metrics and people have one at stage 3 and three at 4.
  const int stages[7][7] = {{2, 3, 3, 4, 4, 5, 6}, {2, 3, 3, 4, 4, 5, 6}, {2, 3, 3, 4, 4, 5, 6},
                            {2, 3, 4, 4, 4, 5, 6}, {2, 3, 4, 4, 4, 5, 6}, {2, 3, 4, 4, 4, 5, 6},
                            {2, 3, 3, 4, 4, 5, 6}};
  for (int i = 2; i <= 49; ++i) {
    ASSERT_TRUE(t.expect(std::to_string(i) + "/49")) << t.screen();
    if (i == 16) {
      // A statement with a glossary term: ? explains it, then asks again.
      ASSERT_TRUE(t.expect("(? explains: customer journey)"));
      t.type("?\n");
      ASSERT_TRUE(t.expect("customer journey: The steps a customer goes through")) << t.screen();
      ASSERT_TRUE(t.expect("16/49"));
    }
    // Stage 2 and 3 statements agreed, higher ones not; one don't know.
    const int stage = stages[(i - 1) / 7][(i - 1) % 7];
    t.type(i == 9 ? "d\n" : (stage <= 3 ? "4\n" : "2\n"));
    if (i % 7 == 0) {
      // The competency's optional comment question: Enter skips it.
      ASSERT_TRUE(t.expect("Comment (Enter to skip")) << t.screen();
      t.type("\n");
    }
  }
  ASSERT_TRUE(t.expect("Thank you. Your result:")) << t.screen();
  ASSERT_TRUE(t.expect("CX maturity: stage 3 of 6, Mobilize"));
  ASSERT_TRUE(t.expect("Key obstacle"));
  ASSERT_TRUE(t.expect("Losing out to other priorities:"));
  ASSERT_TRUE(t.expect("Next-stage gaps (to reach 4 Operationalize)"));
  EXPECT_EQ(t.wait_exit(), 0);

  const auto me = saved_answers(out);
  EXPECT_EQ(me["role"], "manager");
  EXPECT_EQ(me["answers"].size(), 49u);
  EXPECT_EQ(me["answers"]["LS2b"], 5);
  EXPECT_TRUE(me["answers"]["GO3"].is_null());  // statement 9: don't know

  // The saved file is a valid answers file for cxm score.
  const auto scored = run_cxm({"score", "--json", out});
  EXPECT_EQ(scored.exit_status, 0) << scored.err;
}

TEST(Assess, CtrlCKeepsAnswersAndTheNextRunResumes) {
  TempDir dir;
  const std::string out = dir.path() + "/me.json";
  {
    Terminal t(out);
    ASSERT_TRUE(t.expect("Your role?"));
    t.type("\n");  // skip the role
    for (int i = 1; i <= 5; ++i) {
      ASSERT_TRUE(t.expect(std::to_string(i) + "/49"));
      t.type("3\n");
    }
    ASSERT_TRUE(t.expect("6/49"));
    t.type("\x03");  // Ctrl-C: the terminal sends SIGINT
    ASSERT_TRUE(t.expect("Interrupted. 5 of 49 answers are saved in " + out)) << t.screen();
    EXPECT_EQ(t.wait_exit(), 130);
  }
  EXPECT_EQ(saved_answers(out)["answers"].size(), 5u);
  EXPECT_TRUE(saved_answers(out)["role"].is_null());
  {
    Terminal t(out);
    ASSERT_TRUE(t.expect("Resuming: 5 of 49 answered."));
    ASSERT_TRUE(t.expect("6/49")) << t.screen();
    t.type("q\n");
    ASSERT_TRUE(t.expect("Stopped. 5 of 49 answers are saved"));
    EXPECT_EQ(t.wait_exit(), 0);
  }
}

// A pulse asks the pulse statements only and claims no stage.
TEST(Assess, PulseAsksThePulseFormAndGivesNoStage) {
  TempDir dir;
  const std::string out = dir.path() + "/pulse.json";
  Terminal t(out, true);
  ASSERT_TRUE(t.expect("pulse check"));
  ASSERT_TRUE(t.expect("14 statements, about 2 minutes"));
  ASSERT_TRUE(t.expect("Your role?"));
  t.type("\n");
  for (int i = 1; i <= 14; ++i) {
    ASSERT_TRUE(t.expect(std::to_string(i) + "/14")) << t.screen();
    t.type(i % 2 ? "4\n" : "3\n");
    if (i % 2 == 0) {
      // Two pulse statements a competency, then its comment question.
      ASSERT_TRUE(t.expect("Comment (Enter to skip")) << t.screen();
      t.type("\n");
    }
  }
  ASSERT_TRUE(t.expect("CX pulse check")) << t.screen();
  ASSERT_TRUE(t.expect("Competencies (pulse statements only)"));
  EXPECT_EQ(t.wait_exit(), 0);
  EXPECT_EQ(t.screen().find("CX maturity: stage"), std::string::npos);
  const auto me = saved_answers(out);
  EXPECT_EQ(me["answers"].size(), 14u);
  EXPECT_TRUE(me["answers"].contains("LS3c"));
  EXPECT_FALSE(me["answers"].contains("LS3"));
}

TEST(Assess, PulseOfAModelWithoutAPulseFormIsBadInput) {
  const auto r = run_cxm({"assess", "--pulse", "--model",
                          std::string(CXM_SOURCE_DIR) + "/tests/data/cx-maturity-1.0.0.yaml",
                          "--out", "/nonexistent/x.json"},
                         "");
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find("no pulse form"), std::string::npos) << r.err;
}

TEST(Assess, EndOfInputStopsCleanly) {
  TempDir dir;
  const auto r = run_cxm({"assess", "--out", dir.path() + "/me.json"}, "1\n4\n5\n");
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_NE(r.out.find("Stopped. 2 of 49 answers are saved"), std::string::npos) << r.out;
}

TEST(Assess, RefusesToOverwriteAFileThatIsNotItsOwn) {
  TempDir dir;
  const std::string out = dir.write("notes.json", "my important notes");
  const auto r = run_cxm({"assess", "--out", out}, "");
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_EQ(read_text(out), "my important notes");
}

}  // namespace
}  // namespace cxm::testing

namespace cxm::testing {
namespace {

// The comment question after a competency's last statement: optional
// (Enter skips), warned that it may identify, saved in the answers file.
TEST(Assess, AsksEachCompetencysCommentQuestionOnceEnterSkips) {
  TempDir dir;
  const std::string out = dir.path() + "/me.json";
  const auto r =
      run_cxm({"assess", "--model", std::string(CXM_SOURCE_DIR) + "/tests/data/comments-model.yaml",
               "--out", out},
              "\n4\n3\n  More listening, please.  \n4\n4\n\n3\n3\n");
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("Leadership: What would help our leaders most?"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("What you write may identify you"), std::string::npos);
  EXPECT_NE(r.out.find("What should we measure that we do not?"), std::string::npos);
  const auto saved = nlohmann::json::parse(read_text(out));
  EXPECT_EQ(saved["respondents"][0]["comments"],
            nlohmann::json({{"lead", "More listening, please."}}));
  EXPECT_EQ(saved["respondents"][0]["answers"].size(), 6u);
}

// `--lang de`: the statements, scale and roles from the German translation,
// the command's own words from its German message table; answers saved by
// id as in English.
TEST(Assess, InGermanFromPromptToResult) {
  TempDir dir;
  const std::string out = dir.path() + "/ich.json";
  Terminal t(out, false, "de");
  ASSERT_TRUE(t.expect("cxm assess: Customer-Experience-Reifegrad 2.2.0")) << t.screen();
  ASSERT_TRUE(t.expect("49 Aussagen, etwa 8 Minuten. Bewerten Sie jede Aussage"));
  ASSERT_TRUE(t.expect("Dieser Fragebogen erfasst, wie Ihre Organisation"));
  ASSERT_TRUE(t.expect("Antworten:  1 Stimme überhaupt nicht zu"));
  ASSERT_TRUE(t.expect("w Weiß nicht"));
  ASSERT_TRUE(
      t.expect("Tasten:   ? erklärt die Begriffe einer Aussage, b zurück zur vorigen, "
               "q beenden."));
  ASSERT_TRUE(t.expect("Ihre Rolle?  1 Geschäftsleitung  2 Führungskraft"));
  ASSERT_TRUE(t.expect("(Eingabetaste: überspringen): "));
  t.type("2\n");
  ASSERT_TRUE(t.expect("1/49  Führung & Strategie"));
  ASSERT_TRUE(
      t.expect("Ein Mitglied unserer Geschäftsleitung hat offen gesagt, dass sich unsere "
               "Customer Experience verbessern muss."));
  ASSERT_TRUE(t.expect("(? erklärt: Geschäftsleitung)"));
  ASSERT_TRUE(t.expect("Ihre Antwort [1-5, w, ?, b, q]: "));
  t.type("?\n");
  ASSERT_TRUE(t.expect("Geschäftsleitung: Das Team, das die gesamte Organisation führt"))
      << t.screen();
  t.type("9\n");
  ASSERT_TRUE(
      t.expect("Bitte antworten Sie mit 1-5, w, ? (Begriffe), b (zurück) oder q "
               "(beenden)."));
  t.type("4\n");
  ASSERT_TRUE(t.expect("2/49"));
  t.type("w\n");  // Weiß nicht
  for (int i = 3; i <= 49; ++i) {
    ASSERT_TRUE(t.expect(std::to_string(i) + "/49")) << t.screen();
    t.type(i % 7 == 4 ? "2\n" : "4\n");
    if (i % 7 == 0) {
      ASSERT_TRUE(t.expect("Kommentar (Eingabetaste: überspringen, - entfernt ihn): "))
          << t.screen();
      t.type("\n");
    }
  }
  ASSERT_TRUE(t.expect("Vielen Dank. Ihr Ergebnis:")) << t.screen();
  ASSERT_TRUE(t.expect("CX-Reifegrad: Stufe "));
  ASSERT_TRUE(t.expect("Zentrales Hindernis: "));
  ASSERT_TRUE(t.expect("Nach Kompetenz:"));
  ASSERT_TRUE(t.expect("  Führung & Strategie: Stufe "));
  ASSERT_TRUE(t.expect("Ihre Antworten liegen in " + out));
  EXPECT_EQ(t.wait_exit(), 0);
  EXPECT_EQ(t.screen().find("Your answer"), std::string::npos) << "no English prompt";

  const auto me = saved_answers(out);
  EXPECT_EQ(me["role"], "manager");
  EXPECT_EQ(me["answers"]["LS2b"], 4);
  EXPECT_TRUE(me["answers"]["LS3"].is_null());  // w: Weiß nicht
  EXPECT_EQ(me["answers"].size(), 49u);
}

TEST(Assess, RefusesALanguageTheModelHasNot) {
  TempDir dir;
  const auto r = run_cxm({"assess", "--lang", "fr", "--out", dir.path() + "/x.json"});
  EXPECT_EQ(r.exit_status, 2);
  EXPECT_NE(r.err.find("cxm assess: --lang: the model 'cx-maturity' is not available in 'fr' "
                       "(available: en, de)"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace cxm::testing
