// The words of `cxm assess` itself (prompts, the help line, the result
// summary) in each language the command speaks; the model's own texts come
// from the model and its translations. `{0}`, `{1}`, … stand for values.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace cxm::cli {

enum class AssessKey {
  intro_counts,         // {0} statements, {1} minutes
  intro_pulse,          // ", pulse check"
  pulse_note,           //
  answers_heading,      // "Answers:"
  keys_line,            // the keys besides the answers
  saved_as_you_go,      // {0} out path
  resuming,             // {0} answered, {1} total
  role_question,        // "Your role?"
  role_skip,            // "(Enter to skip): "
  role_retry,           // {0} number of roles
  first_statement,      //
  answer_retry,         // {0} min, {1} max, {2} ", d" or ""
  explains,             // {0} terms
  no_terms,             //
  current_answer,       // {0}
  your_answer,          // {0} keys
  comment_note,         //
  current_comment,      // {0}
  comment_prompt,       // {0} " and keep it" or ""
  comment_keep,         //
  comment_retry,        // {0} problem
  cannot_save,          // {0} out path
  interrupted,          // {0} answered, {1} total, {2} out path
  stopped,              // same
  thank_you,            //
  result_stage,         // {0} stage, {1} stages, {2} stage name
  result_indicative,    //
  result_score,         // {0} overall score
  result_obstacle,      // {0} obstacle
  result_competencies,  //
  result_competency,    // {0} name, {1} stage, {2} stage name, {3} score
  result_no_score,      // {0} name
  result_gaps,          // {0} next stage number, {1} its name
  result_reversed,      // "worded in reverse"
  result_pulse,         // "A pulse shows movement, not a stage"
  finish_hint,          // {0} out path
  count_
};

// The languages the command's own words are written in ("en", "de").
const std::vector<std::string>& assess_languages();

// The text of `key` in `lang` (English when the language has none), with
// `{0}`, `{1}`, … replaced by `values`.
std::string assess_text(std::string_view lang, AssessKey key,
                        std::initializer_list<std::string> values = {});

// The key that answers "don't know" in `lang`: "d", in German "w".
std::string dont_know_key(std::string_view lang);

}  // namespace cxm::cli
