// /api/r/{token}: what a participant's personal link reaches. The token
// authenticates; it reaches only its own cycle's questionnaire and its own
// answers. Answers are saved in batches (idempotent), read-only after
// submission, and refused with 409 when the cycle is not open.
#include <spdlog/spdlog.h>

#include "api/context.h"

namespace cxm::api {
namespace {

struct Link {
  std::shared_ptr<const store::Participant> participant;
  std::shared_ptr<const store::Cycle> cycle;
  std::shared_ptr<const core::Model> model;
  std::string token_hash;
};

[[noreturn]] void refused(const std::string& reason) {
  if (reason == "already_submitted") fail(409, reason, "answers are read-only after submission");
  if (reason == "revoked") fail(404, "not_found", "this link is not valid; ask your facilitator for a new one");
  fail(409, "cycle_not_open", "this assessment is not open");
}

Link resolve(Context& ctx, const std::string& token) {
  // Tokens are 32 hex characters; anything else cannot match a link.
  if (token.size() != 32) fail(404, "not_found", "this link is not valid; ask your facilitator for a new one");
  const std::string hash = token_hash(token);
  const std::int64_t now = ctx.now();
  auto participant = ctx.links.get(hash, now);
  if (!participant) {
    auto found = ctx.store.find_participant_by_token(hash);
    if (found) participant = ctx.links.put(hash, std::move(*found), now);
  }
  if (!participant || participant->revoked) fail(404, "not_found", "this link is not valid; ask your facilitator for a new one");
  auto cycle = find_cycle(ctx, participant->cycle_id);
  if (!cycle) fail(404, "not_found", "this link is not valid");
  auto model = ctx.cycles.model(*cycle, ctx.store);
  return Link{std::move(participant), std::move(cycle), std::move(model), hash};
}

json answers_json(const std::vector<store::StoredAnswer>& answers) {
  json out = json::object();
  for (const auto& a : answers) out[a.item_id] = a.value ? json(*a.value) : json(nullptr);
  return out;
}

json progress_json(std::size_t answered, std::size_t total) {
  return {{"answered", answered}, {"total", total}};
}

void require_open(const Link& link) {
  if (link.cycle->status != "open") {
    fail(409, "cycle_not_open",
         link.cycle->status == "closed" ? "this assessment is closed" : "this assessment has not opened yet");
  }
}

// A batch of answers checked against the link's questionnaire and state.
struct AnswerBatch {
  Link link;
  std::vector<store::StoredAnswer> answers;
};

// Validates everything before anything is saved: unknown items, values out
// of range and wrong types are 422; a closed cycle or a submitted link 409.
AnswerBatch check_answers(Context& ctx, const http::Request& request, const std::string& token) {
  AnswerBatch batch{resolve(ctx, token), {}};
  const json body = json_body(request);
  const auto it = body.find("answers");
  if (it == body.end() || !it->is_object()) fail(422, "invalid", "answers: an object of item id -> value or null");
  const core::Model& m = *batch.link.model;
  if (it->size() > m.items.size()) fail(422, "invalid", "answers: more answers than items");
  for (const auto& [item_id, value] : it->items()) {
    if (!m.find_item(item_id)) fail(422, "invalid", "answers." + item_id + ": unknown item");
    if (value.is_null()) {
      if (m.scale.dont_know_label.empty()) fail(422, "invalid", "answers." + item_id + ": this scale has no don't know");
      batch.answers.push_back({item_id, std::nullopt});
      continue;
    }
    if (!value.is_number_integer()) fail(422, "invalid", "answers." + item_id + ": must be a whole number or null");
    const long v = value.is_number_unsigned() && value.get<std::uint64_t>() > 1000 ? 1001 : value.get<long>();
    if (v < m.scale.min || v > m.scale.max) {
      fail(422, "invalid", "answers." + item_id + ": must be between " + std::to_string(m.scale.min) + " and " +
                               std::to_string(m.scale.max));
    }
    batch.answers.push_back({item_id, static_cast<int>(v)});
  }
  require_open(batch.link);
  if (batch.link.participant->submitted_at) fail(409, "already_submitted", "answers are read-only after submission");
  return batch;
}

http::Response saved_response(const AnswerBatch& batch, std::size_t answered) {
  return json_response(200, {{"saved", batch.answers.size()},
                             {"progress", progress_json(answered, batch.link.model->items.size())}});
}

}  // namespace

void add_participant_routes(http::Router& router, Context& ctx) {
  router.add("GET", "/api/r/{token}", [&ctx](const http::Request&, const http::PathParams& params) {
    const Link link = resolve(ctx, params.at("token"));
    const core::Model& m = *link.model;
    const auto org = ctx.store.find_organization(link.cycle->org_id);
    json competencies = json::array();
    for (const auto& c : m.competencies) {
      competencies.push_back({{"id", c.id}, {"name", c.name}, {"description", c.description}});
    }
    json items = json::array();
    for (const auto& item : m.items) {
      items.push_back({{"id", item.id}, {"competency", m.competencies[item.competency].id}, {"text", item.text}});
    }
    const auto answers = ctx.store.answers_of(link.participant->id);
    return json_response(
        200, {{"cycle", {{"name", link.cycle->name}, {"status", link.cycle->status}, {"anonymous", link.cycle->anonymous}}},
              {"organization", {{"name", org ? org->name : ""}}},
              {"model", {{"title", m.title}, {"version", m.version}}},
              {"scale",
               {{"min", m.scale.min},
                {"max", m.scale.max},
                {"labels", m.scale.labels},
                {"dont_know", m.scale.dont_know_label.empty() ? json(nullptr) : json(m.scale.dont_know_label)}}},
              {"competencies", competencies},
              {"items", items},
              {"answers", answers_json(answers)},
              {"progress", progress_json(answers.size(), m.items.size())},
              {"submitted", link.participant->submitted_at.has_value()}});
  });

  router.add("PUT", "/api/r/{token}/answers", [&ctx](const http::Request& request, const http::PathParams& params) {
    const AnswerBatch batch = check_answers(ctx, request, params.at("token"));
    std::size_t answered = 0;
    try {
      answered = ctx.store.save_answers(batch.link.participant->id, batch.answers, ctx.now());
    } catch (const store::AnswersRefused& e) {
      ctx.links.erase(batch.link.token_hash);  // our copy was out of date
      refused(e.what());
    }
    return saved_response(batch, answered);
  });

  router.add("POST", "/api/r/{token}/submit", [&ctx](const http::Request&, const http::PathParams& params) {
    const Link link = resolve(ctx, params.at("token"));
    // A retried submit of an already submitted link is a success, not an error.
    if (!link.participant->submitted_at) {
      require_open(link);
      if (ctx.store.answers_of(link.participant->id).empty()) fail(422, "invalid", "answer at least one statement first");
      ctx.store.submit(link.participant->id, ctx.now());
      ctx.links.erase(link.token_hash);
      ctx.cycle_rows.erase(link.cycle->id);  // its answers_version moved
    }
    return json_response(200, {{"submitted", true}});
  });
}

namespace {

http::Response unavailable() {
  return http::error_response(503, "database_unavailable", "the database is not available; try again");
}

// Queues the batch's write; `respond` gets the outcome after the commit.
void save_async(Context& ctx, const std::shared_ptr<const AnswerBatch>& batch, App::Respond respond) {
  ctx.store.save_answers_async(
      batch->link.participant->id, batch->answers, ctx.now(),
      [&ctx, batch, respond = std::move(respond)](std::exception_ptr failure, std::size_t answered) {
        // On the writer thread: decide, and leave the JSON to the connection.
        if (!failure) return respond([batch, answered] { return saved_response(*batch, answered); });
        try {
          std::rethrow_exception(failure);
        } catch (const store::AnswersRefused& e) {
          ctx.links.erase(batch->link.token_hash);  // our copy was out of date
          const std::string reason = e.what();
          respond([reason]() -> http::Response {
            try {
              refused(reason);
            } catch (const ApiError& error) {
              return http::error_response(error.status, error.code, error.message);
            }
          });
        } catch (const std::exception& e) {
          spdlog::error("saving answers: {}", e.what());
          respond(unavailable);
        }
      });
}

}  // namespace

App::Deferred begin_saving_answers(Context& ctx, const http::Request& request, const std::string& token) {
  std::shared_ptr<const AnswerBatch> batch;
  try {
    const store::MemoryOnlyScope memory_only;
    batch = std::make_shared<const AnswerBatch>(check_answers(ctx, request, token));
  } catch (...) {
    // Needs the database to check (WouldBlock), or is refused: the regular
    // route answers it, by the same rules.
    return nullptr;
  }
  return [&ctx, batch](App::Respond respond) {
    try {
      save_async(ctx, batch, respond);
    } catch (const std::exception& e) {  // e.g. the database is shutting down
      spdlog::error("saving answers: {}", e.what());
      respond(unavailable);
    }
  };
}

}  // namespace cxm::api
