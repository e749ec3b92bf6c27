// A survey tool's CSV export -> respondents and answers of a model, through
// a SurveyMapping (docs/import.md). Pure: text in, a preview plus either the
// respondents or every problem found (by row and column) out. All or
// nothing: callers write nothing when `problems` is not empty.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "answers/survey_mapping.h"
#include "core/model.h"
#include "core/responses.h"

namespace cxm::answers {

// A problem at a place of the export. Rows count as a spreadsheet shows
// them (the header is row 1); 0 when the problem is not in one row.
// Columns count from 1; 0 when the problem is not in one column.
struct ImportProblem {
  int row = 0;
  int column = 0;
  std::string heading;  // the column's heading, when there is a column
  std::string message;
};

// `file: row 5, column 7 "G01[LS2b]": message`.
std::string format(const ImportProblem& problem, std::string_view file);

struct ImportedRespondent {
  int row = 0;
  std::string id;    // as in the export, trimmed; ids compare by respondent_key()
  std::string role;  // a model role id, or empty
  std::string unit;  // free text, or empty
  // (index into Model::items, value); nullopt: don't know. Items whose cell
  // is empty are not listed.
  std::vector<std::pair<std::size_t, std::optional<int>>> answers;
  // (index into Model::competencies, text): comments, normalized and
  // checked (core/comments.h); empty cells are not listed.
  std::vector<std::pair<std::size_t, std::string>> comments{};
};

struct MappedColumn {
  int column = 0;
  std::string heading;
  std::string item;  // the item id
};

struct LabelCount {
  std::string label;         // as first seen in the export
  std::optional<int> value;  // nullopt: don't know
  std::size_t count = 0;
};

// What the import will do, shown before anything is written.
struct ImportPreview {
  char separator = ',';
  bool byte_order_mark = false;
  std::size_t rows = 0;          // data rows in the export
  std::size_t skipped_rows = 0;  // left out by the mapping's filter
  std::string filter;            // which rows the filter keeps, or empty
  std::size_t respondents = 0;
  std::string respondent_column, role_column, unit_column;  // headings, or empty
  int unit_column_number = 0;                               // 0: no unit column
  std::vector<MappedColumn> items;                          // in the order of the columns
  std::vector<MappedColumn> comment_columns{};              // `item` holds the competency id
  std::vector<std::string> ignored_columns;
  std::vector<std::string> unmapped_columns;  // a warning, not an error
  std::vector<LabelCount> labels;             // in order of value, don't know last
  std::vector<std::string> items_without_column;
  std::size_t answers = 0;    // cells with an answer (don't know included)
  std::size_t dont_know = 0;  // of which "don't know"
  std::size_t no_answer = 0;  // empty cells of mapped columns
  std::size_t comments = 0;   // non-empty comment cells
};

struct SurveyImport {
  ImportPreview preview;
  std::vector<ImportedRespondent> respondents;  // empty when there are problems
  std::vector<ImportProblem> problems;
  bool ok() const { return problems.empty(); }
};

// At most this many problems are listed; a last one says how many more.
inline constexpr std::size_t kMaxImportProblems = 100;

// `translations`: the model in its other languages (localized models of the
// same structure, model/translation_parser.h). With them, `{text}` and
// `{question}` rules also match a statement's or comment question's text in
// those languages, and `model_labels` also accepts their scale labels, so
// an export of the questionnaire in German reads as well as one in English.
SurveyImport import_survey_csv(std::string_view text, const SurveyMapping& mapping,
                               const core::Model& model,
                               std::span<const core::Model> translations = {});

// The imported respondents as the scorer's matrix.
core::Responses to_responses(const std::vector<ImportedRespondent>& respondents,
                             const core::Model& model);

// Headings compare after this: trimmed, runs of white space as one space,
// ASCII letters in lower case, typographic quotes as straight ones.
std::string normalize_heading(std::string_view text);

// Whether `text` matches `pattern`, where '*' stands for any text (both
// already normalized).
bool glob_matches(std::string_view pattern, std::string_view text);

}  // namespace cxm::answers
