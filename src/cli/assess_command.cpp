// `cxm assess [--model FILE] [--out FILE] [--pulse] [--lang LANG]`: the
// self-test in a terminal, in the model's language or one of its
// translations (--lang de: the statements, scale and names from the German
// translation, the command's own words from cli/assess_text). The model's introduction first, then
// one statement at a time
// (? explains the glossary terms it uses); answers are saved after each
// one, so Ctrl-C, q or end of input keep everything answered so far, and
// running the command again with the same --out resumes where it stopped.
// --pulse asks only the model's pulse statements and gives no stage.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "answers/answers_file.h"
#include "cli/assess_text.h"
#include "cli/common.h"
#include "core/comments.h"
#include "core/cycle_scoring.h"
#include "core/forms.h"
#include "core/glossary.h"
#include "model/model_parser.h"
#include "report/score_document.h"
#include "report/summary_text.h"

namespace cxm::cli {
namespace {

volatile sig_atomic_t g_interrupted = 0;  // set by SIGINT; read by the input loop

void on_interrupt(int) { g_interrupted = 1; }

constexpr int kUnanswered = INT_MIN;
constexpr int kDontKnow = INT_MIN + 1;

struct AssessOptions {
  std::string model_path;
  std::string out_path = "cxm-assessment.json";
  bool pulse = false;
  std::string lang;  // empty: the model's own language
};

enum class Input { line, end, interrupted };

// Reads one line from standard input with read(2), so that SIGINT (installed
// without SA_RESTART) interrupts the wait instead of being retried.
Input read_line(std::string& line) {
  line.clear();
  char c;
  for (;;) {
    if (g_interrupted) return Input::interrupted;
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return line.empty() ? Input::end : Input::line;
    if (c == '\n') return Input::line;
    if (c != '\r') line += c;
  }
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

class Session {
 public:
  Session(const core::Model& model, std::string out_path, std::string lang)
      : model_(model),
        out_path_(std::move(out_path)),
        lang_(std::move(lang)),
        answers_(model.items.size(), kUnanswered) {}

  // Loads earlier answers from the out file if it exists. Returns false (and
  // reports) when the file exists but is not a single-respondent answers file
  // for this model: it is never overwritten then.
  bool resume() {
    if (!std::filesystem::exists(out_path_)) return true;
    const auto parsed = answers::load_answers_file(out_path_, model_);
    if (!parsed.responses || parsed.responses->size() != 1) {
      std::cerr << (parsed.error
                        ? model::format(*parsed.error)
                        : out_path_ + ": holds more than one respondent; choose another --out file")
                << '\n';
      return false;
    }
    role_ = parsed.responses->respondent(0).role;
    for (const auto& c : parsed.comments) comments_[c.competency] = c.text;
    std::string error;
    const auto doc = nlohmann::json::parse(*model::read_file(out_path_, error));
    for (const auto& [id, value] : doc["respondents"][0]["answers"].items()) {
      const std::size_t i = *model_.find_item(id);
      answers_[i] = value.is_null() ? kDontKnow : value.get<int>();
    }
    return true;
  }

  bool save() const {
    nlohmann::json answers = nlohmann::json::object();
    for (std::size_t i = 0; i < answers_.size(); ++i) {
      if (answers_[i] == kUnanswered) continue;
      answers[model_.items[i].id] =
          answers_[i] == kDontKnow ? nlohmann::json(nullptr) : nlohmann::json(answers_[i]);
    }
    nlohmann::json respondent = {{"id", "self"}, {"answers", answers}};
    respondent["role"] = role_.empty() ? nlohmann::json(nullptr) : nlohmann::json(role_);
    if (!comments_.empty()) respondent["comments"] = comments_;
    const nlohmann::json doc = {{"respondents", nlohmann::json::array({respondent})}};
    // Write a temporary file and rename it, so a crash never leaves half a file.
    const std::string temporary = out_path_ + ".tmp";
    {
      std::ofstream out(temporary, std::ios::trunc);
      out << doc.dump(2) << '\n';
      if (!out.good()) return false;
    }
    return std::rename(temporary.c_str(), out_path_.c_str()) == 0;
  }

  std::size_t answered() const {
    return static_cast<std::size_t>(
        std::count_if(answers_.begin(), answers_.end(), [](int a) { return a != kUnanswered; }));
  }

  int run() {
    introduce();
    if (role_.empty() && answered() == 0) {
      if (const auto stop = ask_role()) return *stop;
    }
    std::size_t i = first_unanswered();
    while (i < answers_.size()) {
      show_item(i);
      std::string line;
      const Input input = read_line(line);
      if (input != Input::line) return stop(input);
      const std::string answer = trim(line);
      if (answer == "q" || answer == "Q") return stop(Input::end);
      if (answer == "?") {
        explain_terms(model_.items[i]);
        continue;
      }
      if (answer == "b" || answer == "B") {
        if (i == 0) {
          std::cout << text(AssessKey::first_statement) << "\n";
        } else {
          --i;
        }
        continue;
      }
      const auto value = parse_answer(answer);
      if (!value) {
        std::cout << text(AssessKey::answer_retry,
                          {std::to_string(model_.scale.min), std::to_string(model_.scale.max),
                           model_.scale.dont_know_label.empty() ? "" : ", " + dk_key()})
                  << "\n";
        continue;
      }
      answers_[i] = *value;
      if (!save()) {
        std::cerr << text(AssessKey::cannot_save, {out_path_}) << "\n";
        return kExitFailure;
      }
      if (const auto stop = ask_comment_after(i)) return *stop;
      i = next_after(i);
    }
    return finish();
  }

 private:
  std::string text(AssessKey key, std::initializer_list<std::string> values = {}) const {
    return assess_text(lang_, key, values);
  }
  std::string dk_key() const { return dont_know_key(lang_); }

  void introduce() const {
    const bool pulse = model_.form == core::Form::pulse;
    std::cout << "cxm assess: " << model_.title << " " << model_.version
              << (pulse ? text(AssessKey::intro_pulse) : "") << "\n"
              << text(AssessKey::intro_counts,
                      {std::to_string(answers_.size()),
                       std::to_string(core::estimated_minutes(answers_.size()))})
              << "\n";
    if (pulse) std::cout << text(AssessKey::pulse_note) << "\n";
    if (!model_.introduction.empty()) std::cout << "\n" << wrapped(model_.introduction);
    std::cout << "\n" << text(AssessKey::answers_heading);
    // Continuation lines start under the first entry ("Answers:" or its
    // translation; bytes, good enough for the headings of the table).
    const std::size_t indent = text(AssessKey::answers_heading).size();
    std::size_t column = indent;
    auto legend = [&](const std::string& entry) {
      if (column + 2 + entry.size() > 78) {
        std::cout << "\n" << std::string(indent, ' ');
        column = indent;
      }
      std::cout << "  " << entry;
      column += 2 + entry.size();
    };
    for (int p = model_.scale.min; p <= model_.scale.max; ++p) {
      legend(std::to_string(p) + " " +
             model_.scale.labels[static_cast<std::size_t>(p - model_.scale.min)]);
    }
    if (!model_.scale.dont_know_label.empty())
      legend(dk_key() + " " + model_.scale.dont_know_label);
    std::cout << "\n"
              << text(AssessKey::keys_line) << "\n"
              << text(AssessKey::saved_as_you_go, {out_path_}) << "\n";
    if (answered() > 0)
      std::cout << "\n"
                << text(AssessKey::resuming,
                        {std::to_string(answered()), std::to_string(answers_.size())})
                << "\n";
  }

  // Returns an exit status when the user stopped.
  std::optional<int> ask_role() {
    if (model_.roles.empty()) return std::nullopt;
    for (;;) {
      std::cout << "\n" << text(AssessKey::role_question);
      for (std::size_t r = 0; r < model_.roles.size(); ++r)
        std::cout << "  " << r + 1 << " " << model_.roles[r].name;
      std::cout << text(AssessKey::role_skip) << std::flush;
      std::string line;
      const Input input = read_line(line);
      if (input != Input::line) return stop(input);
      const std::string answer = trim(line);
      if (answer.empty()) return std::nullopt;
      if (answer == "q") return stop(Input::end);
      const auto choice = std::atoi(answer.c_str());
      if (choice >= 1 && static_cast<std::size_t>(choice) <= model_.roles.size()) {
        role_ = model_.roles[static_cast<std::size_t>(choice - 1)].id;
        return std::nullopt;
      }
      std::cout << text(AssessKey::role_retry, {std::to_string(model_.roles.size())}) << "\n";
    }
  }

  // After the last statement of a competency that asks a comment question
  // (SPEC section 2): the question, once per run, optional (Enter skips).
  // Returns an exit status when the user stopped.
  std::optional<int> ask_comment_after(std::size_t i) {
    const std::size_t c = model_.items[i].competency;
    const bool last = i + 1 == model_.items.size() || model_.items[i + 1].competency != c;
    const core::Competency& competency = model_.competencies[c];
    if (!last || competency.comment.empty() || asked_.contains(competency.id)) return std::nullopt;
    asked_.insert(competency.id);
    std::cout << "\n"
              << wrapped(competency.name + ": " + competency.comment)
              << text(AssessKey::comment_note) << "\n";
    if (const auto kept = comments_.find(competency.id); kept != comments_.end())
      std::cout << text(AssessKey::current_comment, {kept->second}) << "\n";
    for (;;) {
      std::cout << text(AssessKey::comment_prompt,
                        {comments_.contains(competency.id) ? text(AssessKey::comment_keep) : ""})
                << std::flush;
      std::string line;
      const Input input = read_line(line);
      if (input != Input::line) return stop(input);
      const std::string comment = core::normalized_comment(line);
      if (comment.empty()) return std::nullopt;
      if (comment == "-") {
        comments_.erase(competency.id);
      } else if (const auto problem = core::comment_problem(comment)) {
        std::cout << text(AssessKey::comment_retry, {*problem}) << "\n";
        continue;
      } else {
        comments_[competency.id] = comment;
      }
      if (!save()) {
        std::cerr << text(AssessKey::cannot_save, {out_path_}) << "\n";
        return kExitFailure;
      }
      return std::nullopt;
    }
  }

  // `text` wrapped at 78 columns (counting bytes: good enough for prose).
  static std::string wrapped(const std::string& text) {
    std::string out, line;
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      const std::string word = text.substr(start, end - start);
      if (!line.empty() && line.size() + 1 + word.size() > 78) {
        out += line + "\n";
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
      start = end + 1;
    }
    return out + line + "\n";
  }

  // The glossary terms `item` uses, with their definitions.
  void explain_terms(const core::Item& item) const {
    const auto terms = core::glossary_terms_in(model_.glossary, item.text);
    if (terms.empty()) {
      std::cout << text(AssessKey::no_terms) << "\n";
    } else {
      for (std::size_t t : terms) {
        std::cout << wrapped(model_.glossary[t].term + ": " + model_.glossary[t].definition);
      }
    }
  }

  std::string answer_keys() const {
    return std::to_string(model_.scale.min) + "-" + std::to_string(model_.scale.max) +
           (model_.scale.dont_know_label.empty() ? "" : ", " + dk_key()) + ", ?, b, q";
  }

  void show_item(std::size_t i) const {
    const core::Item& item = model_.items[i];
    const std::size_t done = answered();
    const std::size_t width = 20;
    const std::size_t filled = done * width / answers_.size();
    std::cout << "\n[" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
              << i + 1 << "/" << answers_.size() << "  "
              << model_.competencies[item.competency].name << "\n"
              << item.text << "\n";
    if (const auto terms = core::glossary_terms_in(model_.glossary, item.text); !terms.empty()) {
      std::string names;
      for (std::size_t t : terms) names += (names.empty() ? "" : ", ") + model_.glossary[t].term;
      std::cout << text(AssessKey::explains, {names}) << "\n";
    }
    if (answers_[i] != kUnanswered) {
      std::cout << text(AssessKey::current_answer,
                        {answers_[i] == kDontKnow ? dk_key() : std::to_string(answers_[i])})
                << "\n";
    }
    std::cout << text(AssessKey::your_answer, {answer_keys()}) << std::flush;
  }

  std::optional<int> parse_answer(const std::string& answer) const {
    // The language's don't-know key, and "d" in every language.
    const std::string lower = answer.size() == 1 && answer[0] >= 'A' && answer[0] <= 'Z'
                                  ? std::string(1, static_cast<char>(answer[0] - 'A' + 'a'))
                                  : answer;
    if ((lower == "d" || lower == dk_key()) && !model_.scale.dont_know_label.empty())
      return kDontKnow;
    char* end = nullptr;
    const long v = std::strtol(answer.c_str(), &end, 10);
    if (answer.empty() || *end != '\0' || v < model_.scale.min || v > model_.scale.max)
      return std::nullopt;
    return static_cast<int>(v);
  }

  std::size_t first_unanswered() const {
    std::size_t i = 0;
    while (i < answers_.size() && answers_[i] != kUnanswered) ++i;
    return i;
  }

  // After going back and changing an answer, continue with the next
  // unanswered statement rather than walking through answered ones.
  std::size_t next_after(std::size_t i) const {
    const std::size_t first = first_unanswered();
    return first > i ? first : i + 1;
  }

  int stop(Input why) const {
    std::cout << "\n\n"
              << text(why == Input::interrupted ? AssessKey::interrupted : AssessKey::stopped,
                      {std::to_string(answered()), std::to_string(answers_.size()), out_path_})
              << "\n";
    return why == Input::interrupted ? kExitInterrupted : kExitOk;
  }

  int finish() const {
    core::Responses responses(model_.items.size());
    const std::size_t row = responses.add(core::Respondent{"self", role_, ""});
    for (std::size_t i = 0; i < answers_.size(); ++i) {
      if (answers_[i] != kUnanswered && answers_[i] != kDontKnow) {
        responses.set(row, i, static_cast<std::int8_t>(answers_[i]));
      }
    }
    const auto result = core::score_cycle(model_, responses, 1);
    std::cout << "\n" << text(AssessKey::thank_you) << "\n\n";
    if (lang_.empty() || lang_ == "en") {
      std::cout << report::render_summary(report::score_document_json(model_, result),
                                          report::SummaryStyle::text)
                       .output;
    } else {
      print_result(result.group);
    }
    std::cout << text(AssessKey::finish_hint, {out_path_}) << "\n";
    return kExitOk;
  }

  // The result in the command's own words in `lang_` (the full summary of
  // cxm score is English): the stage, the key obstacle, each competency
  // and the statements of the next stage below the threshold.
  void print_result(const core::GroupResult& group) const {
    const auto score = [](const std::optional<double>& s) {
      return s ? std::to_string(static_cast<int>(*s + 0.5)) : std::string("–");
    };
    const bool pulse = model_.form == core::Form::pulse;
    if (pulse) {
      std::cout << wrapped(text(AssessKey::result_pulse));
    } else {
      const core::Stage& stage = model_.stage(group.stage.stage);
      std::cout << text(AssessKey::result_stage, {std::to_string(stage.number),
                                                  std::to_string(model_.stage_count()), stage.name})
                << (group.stage.indicative ? " " + text(AssessKey::result_indicative) : "") << "\n";
    }
    std::cout << text(AssessKey::result_score, {score(group.overall_score)}) << "\n";
    if (!pulse) {
      const core::Stage& stage = model_.stage(group.stage.stage);
      std::cout << "\n" << wrapped(text(AssessKey::result_obstacle, {stage.obstacle}));
    }
    std::cout << "\n" << text(AssessKey::result_competencies) << "\n";
    for (const auto& c : group.competencies) {
      const std::string& name = model_.competencies[c.competency].name;
      if (!c.score) {
        std::cout << text(AssessKey::result_no_score, {name}) << "\n";
      } else if (pulse) {
        std::cout << "  " << name << ": " << score(c.score) << "\n";
      } else {
        std::cout << text(AssessKey::result_competency,
                          {name, std::to_string(c.stage.stage), model_.stage(c.stage.stage).name,
                           score(c.score)})
                  << "\n";
      }
    }
    if (!pulse && !group.next_stage_gaps.empty() && group.stage.stage < model_.stage_count()) {
      const core::Stage& next = model_.stage(group.stage.stage + 1);
      std::cout << "\n"
                << text(AssessKey::result_gaps, {std::to_string(next.number), next.name}) << "\n";
      for (std::size_t i : group.next_stage_gaps) {
        const core::Item& item = model_.items[i];
        const std::string line =
            item.id + " " + item.text +
            (item.reverse ? " (" + text(AssessKey::result_reversed) + ")" : "");
        // Indented: two spaces, then four on the lines that continue it.
        std::string shown = wrapped(line);
        std::size_t at = 0;
        std::cout << "  ";
        while (at < shown.size()) {
          const std::size_t end = shown.find('\n', at);
          std::cout << shown.substr(at, end - at + 1);
          at = end + 1;
          if (at < shown.size()) std::cout << "    ";
        }
      }
    }
    std::cout << "\n";
  }

  const core::Model& model_;
  std::string out_path_;
  std::string lang_;  // the language of the command's own words; empty: English
  std::string role_;
  std::vector<int> answers_;  // per item: a scale point, kDontKnow or kUnanswered
  std::map<std::string, std::string> comments_;  // competency id -> comment
  std::set<std::string> asked_;                  // comment questions asked in this run
};

int run(const AssessOptions& options) {
  const auto base = load_model(options.model_path, std::cerr);
  if (!base) return kExitBadInput;
  const auto translations = load_translations(options.model_path, *base, std::cerr);
  if (!translations) return kExitBadInput;
  auto model =
      model_in_language(*base, *translations, options.lang, "cxm assess: --lang", std::cerr);
  if (!model) return kExitBadInput;
  if (options.pulse) {
    if (!core::has_pulse_form(*model)) {
      std::cerr << "cxm assess: --pulse: this model has no pulse form (no statement is flagged "
                   "pulse: true)\n";
      return kExitBadInput;
    }
    model = core::pulse_form(*model);
  }
  Session session(*model, options.out_path, model->language);
  if (!session.resume()) return kExitBadInput;

  struct sigaction action = {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a pending read returns EINTR
  struct sigaction previous = {};
  sigaction(SIGINT, &action, &previous);
  const int status = session.run();
  sigaction(SIGINT, &previous, nullptr);
  return status;
}

}  // namespace

void add_assess_command(CLI::App& app, int* status) {
  auto options = std::make_shared<AssessOptions>();
  auto* cmd = app.add_subcommand("assess", "Take the maturity self-test in the terminal");
  cmd->add_option("--model", options->model_path, "Model file (YAML); default: the built-in model");
  cmd->add_option("--out", options->out_path,
                  "Where answers are saved as you go (default cxm-assessment.json)");
  cmd->add_flag("--pulse", options->pulse,
                "Only the model's pulse statements: a short check, no stage");
  cmd->add_option("--lang", options->lang,
                  "Language of the self-test: the model's own (default) or one of its "
                  "translations, e.g. de");
  cmd->callback([status, options] { *status = run(*options); });
}

}  // namespace cxm::cli
