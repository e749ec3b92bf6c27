// libFuzzer target: any bytes given to the score document reader give
// either a document that keeps the reader's promises (a stage exactly in a
// full document, stage numbers on its ladder, next-stage gaps that name its
// statements, a class only with its rwg, a count or "fewer than" for every
// segment) or one error; and check_score_document agrees on the envelope.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "report/score_document_parser.h"

namespace {

using cxm::report::ScoreDocument;

bool on_ladder(const ScoreDocument& doc, int stage) {
  return stage >= 1 && static_cast<std::size_t>(stage) <= doc.stages.size();
}

bool keeps_promises(const ScoreDocument& doc) {
  if (doc.stage.has_value() != (doc.form == cxm::core::Form::full)) return false;
  if (doc.stage && !on_ladder(doc, doc.stage->number)) return false;
  if (doc.next_stage && !on_ladder(doc, doc.next_stage->number)) return false;
  if (doc.scale.labels.empty() || doc.scale.min > doc.scale.max) return false;
  for (std::size_t k = 0; k < doc.stages.size(); ++k) {
    if (doc.stages[k].number != static_cast<int>(k) + 1) return false;
  }
  for (const auto& id : doc.next_stage_gaps) {
    if (!cxm::report::find_statement(doc, id)) return false;
  }
  for (const auto& c : doc.competencies) {
    if (c.stage.has_value() != doc.stage.has_value() || (c.stage && !on_ladder(doc, *c.stage)))
      return false;
  }
  for (const auto& item : doc.items) {
    if (item.agreement && !item.rwg) return false;
  }
  for (const auto* segments : {&doc.segments.role, &doc.segments.unit}) {
    for (const auto& s : *segments) {
      if (!s.respondents && !s.fewer_than) return false;
      if (s.stage && !on_ladder(doc, *s.stage)) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using Problem = cxm::report::ScoreDocumentReading::Problem;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto reading = cxm::report::read_score_document(text);
  if (reading.document.has_value() != (reading.problem == Problem::none)) std::abort();
  if (reading.document.has_value() != reading.error.empty()) std::abort();
  const bool envelope_ok =
      reading.problem == Problem::none || reading.problem == Problem::invalid_field;
  if (cxm::report::check_score_document(text).empty() != envelope_ok) std::abort();
  if (reading.document && !keeps_promises(*reading.document)) std::abort();
  return 0;
}
