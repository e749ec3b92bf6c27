#include "store/records.h"

namespace cxm::store {

std::string_view to_text(CycleStatus status) {
  switch (status) {
    case CycleStatus::draft:
      return "draft";
    case CycleStatus::open:
      return "open";
    case CycleStatus::closed:
      return "closed";
  }
  return "draft";
}

std::optional<CycleStatus> cycle_status_from(std::string_view text) {
  for (auto s : {CycleStatus::draft, CycleStatus::open, CycleStatus::closed}) {
    if (to_text(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view to_text(OrgRole role) {
  switch (role) {
    case OrgRole::viewer:
      return "viewer";
    case OrgRole::facilitator:
      return "facilitator";
    case OrgRole::owner:
      return "owner";
  }
  return "viewer";
}

std::optional<OrgRole> org_role_from(std::string_view text) {
  for (auto r : {OrgRole::viewer, OrgRole::facilitator, OrgRole::owner}) {
    if (to_text(r) == text) return r;
  }
  return std::nullopt;
}

std::string_view to_text(ActionStatus status) {
  switch (status) {
    case ActionStatus::planned:
      return "planned";
    case ActionStatus::in_progress:
      return "in_progress";
    case ActionStatus::done:
      return "done";
    case ActionStatus::dropped:
      return "dropped";
  }
  return "planned";
}

std::optional<ActionStatus> action_status_from(std::string_view text) {
  for (auto s : {ActionStatus::planned, ActionStatus::in_progress, ActionStatus::done,
                 ActionStatus::dropped}) {
    if (to_text(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view to_text(StageRollup rollup) {
  switch (rollup) {
    case StageRollup::pooled:
      return "pooled";
    case StageRollup::weakest_unit:
      return "weakest_unit";
  }
  return "pooled";
}

std::optional<StageRollup> stage_rollup_from(std::string_view text) {
  for (auto r : {StageRollup::pooled, StageRollup::weakest_unit}) {
    if (to_text(r) == text) return r;
  }
  return std::nullopt;
}

std::string_view to_text(MailKind kind) {
  return kind == MailKind::reminder ? "reminder" : "invitation";
}

std::optional<MailKind> mail_kind_from(std::string_view text) {
  for (auto k : {MailKind::invitation, MailKind::reminder}) {
    if (to_text(k) == text) return k;
  }
  return std::nullopt;
}

std::string_view to_text(MailState state) {
  switch (state) {
    case MailState::queued:
      return "queued";
    case MailState::sending:
      return "sending";
    case MailState::sent:
      return "sent";
    case MailState::failed:
      return "failed";
    case MailState::cancelled:
      return "cancelled";
  }
  return "queued";
}

std::optional<MailState> mail_state_from(std::string_view text) {
  for (auto s : {MailState::queued, MailState::sending, MailState::sent, MailState::failed,
                 MailState::cancelled}) {
    if (to_text(s) == text) return s;
  }
  return std::nullopt;
}

}  // namespace cxm::store
