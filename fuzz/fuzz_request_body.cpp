// libFuzzer target: any bytes as a JSON request body, read as the API reads
// one (api/request_fields.h: the body, then its fields) and as a
// participant's answers and comments (api/participant_fields.h) against
// the default questionnaire; and as an Accept-Language header and a
// language tag. Each reader gives a value or a 4xx refusal, never a
// crash; what it accepts keeps its promises (known items, values on the
// scale, comments that pass core::comment_problem, texts within their
// bounds).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/participant_fields.h"
#include "api/request_fields.h"
#include "core/comments.h"
#include "model/model_parser.h"

namespace {

using namespace cxm;

void refused_well(const api::Refusal& refusal) {
  if (refusal.status < 400 || refusal.status > 499 || refusal.code.empty() ||
      refusal.message.empty()) {
    std::abort();
  }
}

template <class T>
bool given(api::Outcome<T>& outcome) {
  if (!outcome) refused_well(outcome.refusal());
  return static_cast<bool>(outcome);
}

const std::string kFields[] = {"name", "title", "email",     "password", "csv", "dataset",
                               "yaml", "limit", "synthetic", "role",     "unit"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const core::Model model = *model::load_default_model().model;
  static const std::vector<std::string> offered = {"en", "de", "de-AT", "fr"};
  const std::string text(reinterpret_cast<const char*>(data), size);

  // The same bytes as an Accept-Language header.
  const std::string lang = api::accepted_language(text, offered);
  if (!lang.empty() && std::find(offered.begin(), offered.end(), lang) == offered.end())
    std::abort();
  if (api::language_name(text).empty() != text.empty()) std::abort();

  http::Request request;
  request.method = "PUT";
  request.headers["content-type"] = "application/json";
  request.body = text;
  auto body = api::json_body(request);
  if (!given(body)) return 0;
  if (!body->is_object()) std::abort();

  for (const auto& name : kFields) {
    for (const auto kind : {api::Text::line, api::Text::document, api::Text::secret}) {
      auto field = api::text_field(*body, name, false, 50, kind);
      if (given(field) && *field && field->value().size() > 50) std::abort();
    }
    auto required = api::required_text(*body, name);
    if (given(required) && (required->empty() || required->size() > 200)) std::abort();
    auto number = api::integer_field(*body, name, -5, 1000);
    if (given(number) && *number && (**number < -5 || **number > 1000)) std::abort();
    auto flag = api::bool_field(*body, name);
    (void)given(flag);
  }
  auto provenance = api::dataset_provenance(*body, peers::DatasetMetadata{}, "data");
  if (given(provenance) &&
      (provenance->name.empty() || provenance->source.empty() || provenance->licence.empty())) {
    std::abort();
  }
  auto json_dataset = api::gives_json_dataset(*body, "PEERS.csv text");
  (void)given(json_dataset);

  auto answers = api::answers_field(*body, model);
  if (given(answers)) {
    for (const auto& answer : *answers) {
      if (!model.find_item(answer.item_id)) std::abort();
      if (answer.value && (*answer.value < model.scale.min || *answer.value > model.scale.max))
        std::abort();
    }
  }
  auto comments = api::comments_field(*body, model);
  if (given(comments)) {
    for (const auto& comment : *comments) {
      if (!model.find_competency(comment.competency_id)) std::abort();
      if (core::comment_problem(comment.text)) std::abort();
      if (comment.text.empty() != comment.id.empty()) std::abort();
    }
  }
  return 0;
}
