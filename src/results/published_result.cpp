#include "results/published_result.h"

#include "core/disclosure.h"
#include "report/report_text.h"
#include "report/score_document.h"

namespace cxm::results {

core::Responses to_responses(const core::Model& model,
                             const std::vector<store::ParticipantAnswers>& all,
                             const std::string& role, const std::string& unit) {
  core::Responses responses(model.items.size());
  std::size_t n = 0;
  for (const auto& p : all) {
    if (!p.participant.submitted_at) continue;
    if (!role.empty() && p.participant.role != role) continue;
    if (!unit.empty() && p.participant.unit != unit) continue;
    // Respondent ids are positions: participant ids never leave the server.
    const std::size_t row =
        responses.add(core::Respondent{"r" + std::to_string(++n), p.participant.role,
                                       p.participant.unit, !p.participant.import_id.empty()});
    for (const auto& a : p.answers) {
      const auto item = model.find_item(a.item_id);
      if (item && a.value) responses.set(row, *item, static_cast<std::int8_t>(*a.value));
    }
  }
  return responses;
}

namespace {

// Respondents whose answers the facilitator supplied (imported rows).
std::size_t supplied(const core::Responses& responses) {
  std::size_t n = 0;
  for (const auto& r : responses.respondents()) n += r.supplied ? 1 : 0;
  return n;
}

json no_report(std::size_t respondents, std::size_t min_group, const std::string& reason) {
  return {{"suppressed", true},
          {"respondents", respondents},
          {"min_group_size", min_group},
          {"reason", reason}};
}

PublishedResult withheld(json body, json anonymity = nullptr) {
  if (!anonymity.is_null()) body["anonymity"] = anonymity;
  return PublishedResult{std::nullopt, std::move(body), std::move(anonymity)};
}

// An anonymous cycle: only what its releases published (each close that
// brought at least k new submissions), with the segments the disclosure
// rule shows.
PublishedResult published_anonymous(const store::Cycle& cycle, const core::Model& model,
                                    const std::vector<store::ParticipantAnswers>& all,
                                    const std::string& role, const std::string& unit) {
  const auto k = static_cast<std::size_t>(cycle.min_group_size);
  std::vector<store::ParticipantAnswers> released;
  std::vector<core::DisclosureMember> members;
  std::size_t held_back = 0;
  for (const auto& p : all) {
    if (!p.participant.submitted_at) continue;
    if (!p.participant.released_in || *p.participant.released_in > cycle.releases) {
      ++held_back;
      continue;
    }
    members.push_back({p.participant.role, p.participant.unit,
                       static_cast<std::size_t>(*p.participant.released_in),
                       !p.participant.import_id.empty()});
    released.push_back(p);
  }
  const json anonymity = {
      {"release", cycle.releases}, {"released", released.size()}, {"held_back", held_back}};
  if (cycle.releases == 0) {
    return withheld(no_report(0, k, report::tr("withheld.unpublished", {{"k", std::to_string(k)}})),
                    anonymity);
  }
  const auto shown = core::shown_segments(members, static_cast<std::size_t>(cycle.releases), k);
  const core::ShownSegments& now = shown.back();
  if ((!role.empty() && !now.shows_role(role)) || (!unit.empty() && !now.shows_unit(unit))) {
    // The view's own true reason: fewer than k, or the smaller group it
    // would reveal (core/disclosure.h).
    const auto& why = !role.empty() && !now.shows_role(role) ? now.hidden_roles : now.hidden_units;
    const auto it = why.find(!role.empty() && !now.shows_role(role) ? role : unit);
    std::string reason;
    json hidden = {{"code", "fewer_than_k"}, {"k", k}};
    if (it == why.end() || it->second.reason == core::HiddenReason::fewer_than_k) {
      reason = report::tr("withheld.group_fewer", {{"k", std::to_string(k)}});
    } else {
      const auto& g = it->second.reveals;
      reason = report::tr("withheld.group_reveals",
                          {{"group", report::revealed_group_phrase(model, g, k)}});
      hidden["code"] = "reveals_smaller_group";
      hidden["group"] = g.kind.empty()
                            ? json(nullptr)
                            : json{{"kind", g.kind},
                                   {"value", g.value},
                                   {"name", report::revealed_group_name(model, g)},
                                   {"phrase", report::revealed_group_phrase(model, g, k)}};
    }
    json none = no_report(0, k, reason);
    none["respondents"] = nullptr;
    none["hidden"] = hidden;
    return withheld(std::move(none), anonymity);
  }
  const core::Responses responses = to_responses(model, released, role, unit);
  // A group's own breakdown would be a finer cut than the rule allows.
  const core::ShownSegments nothing;
  const bool filtered = !role.empty() || !unit.empty();
  return PublishedResult{core::score_cycle(model, responses, k, filtered ? &nothing : &now),
                         nullptr, anonymity};
}

}  // namespace

PublishedResult published_result(const store::Cycle& cycle, const core::Model& model,
                                 const std::vector<store::ParticipantAnswers>& all,
                                 const std::string& role, const std::string& unit) {
  if (cycle.anonymous) return published_anonymous(cycle, model, all, role, unit);
  const core::Responses responses = to_responses(model, all, role, unit);
  const auto min_group = static_cast<std::size_t>(cycle.min_group_size);
  // A segment with too few respondents would expose individuals: say so
  // instead of scoring it.
  const bool filtered = !role.empty() || !unit.empty();
  const std::size_t imported = supplied(responses);
  if (filtered && core::counted_towards_group(responses.size(), imported) < min_group) {
    json body =
        no_report(responses.size(), min_group,
                  report::tr(imported > 0 && imported < responses.size() ? "withheld.fewer_own"
                                                                         : "withheld.fewer",
                             {{"k", std::to_string(min_group)}}));
    if (imported > 0) body["imported"] = imported;
    return withheld(std::move(body));
  }
  if (responses.size() == 0) {
    return withheld(
        {{"suppressed", false}, {"respondents", 0}, {"reason", report::tr("withheld.none")}});
  }
  return PublishedResult{core::score_cycle(model, responses, min_group), nullptr, nullptr};
}

std::vector<store::ParticipantAnswers> published_answers(
    const store::Cycle& cycle, std::vector<store::ParticipantAnswers> all) {
  std::erase_if(all, [&](const store::ParticipantAnswers& p) {
    if (!p.participant.submitted_at) return true;
    if (!cycle.anonymous) return false;
    return !p.participant.released_in || *p.participant.released_in > cycle.releases;
  });
  return all;
}

void hide_small_counts(json& score_document, std::size_t min_group) {
  for (auto& [kind, segments] : score_document["segments"].items()) {
    for (auto& s : segments) {
      // Imported rows do not make a group large enough to count.
      const auto imported = s.value("imported", std::size_t{0});
      if (core::counted_towards_group(s["respondents"].get<std::size_t>(), imported) < min_group) {
        s["respondents"] = nullptr;
        s.erase("imported");
        s["fewer_than"] = min_group;
      }
    }
  }
}

}  // namespace cxm::results
