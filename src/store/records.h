// Plain records as stored in the database. Ids are random text tokens made
// by the application (the same on SQLite and PostgreSQL, and unguessable in
// URLs); times are Unix milliseconds.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/customer_metrics.h"
#include "core/plan_action_kind.h"
#include "core/workshop_pace.h"

namespace cxm::store {

// A cycle's life: draft (settings editable) -> open (answers taken) ->
// closed (answers refused) -> open again (reopened).
enum class CycleStatus { draft, open, closed };
std::string_view to_text(CycleStatus status);
std::optional<CycleStatus> cycle_status_from(std::string_view text);

// A user's role in one organization, weakest first.
enum class OrgRole { viewer, facilitator, owner };
std::string_view to_text(OrgRole role);
std::optional<OrgRole> org_role_from(std::string_view text);

// How an organization's stage rolls up from its people: everyone's answers
// pooled (the stage rule on the whole group), or the weakest unit (the
// lowest stage among the units whose results may be shown).
enum class StageRollup { pooled, weakest_unit };
std::string_view to_text(StageRollup rollup);
std::optional<StageRollup> stage_rollup_from(std::string_view text);

// Months between cycles: the next is due this long after the last closed.
inline constexpr int kDefaultReviewIntervalMonths = 6;
inline constexpr int kMaxReviewIntervalMonths = 60;

struct Organization {
  std::string id;
  std::string name;
  std::string industry;
  std::string size_band;
  std::vector<std::string> units;
  bool demo = false;  // synthetic demo data, always labelled as such
  std::int64_t created_at = 0;
  int review_interval_months = kDefaultReviewIntervalMonths;
  StageRollup stage_rollup = StageRollup::pooled;
  // Branding (reports, cards, participant pages); edited with the rest.
  std::string consultant = {};       // the consultant or firm, e.g. "Acme Consulting"
  std::string confidentiality = {};  // e.g. "Confidential — prepared for Helios AG"
  // The logo's media type ("image/png" or "image/jpeg"), empty when there is
  // none, and when it last changed (Unix ms): read-only here, set by
  // Store::set_organization_logo.
  std::string logo_type = {};
  std::int64_t logo_updated_at = 0;
};

// An organization's logo: its bytes and media type.
struct OrgLogo {
  std::string bytes;
  std::string type;
  std::int64_t updated_at = 0;
};

// The stage an organization aims for in one competency (by model id).
struct CompetencyTarget {
  std::string competency_id;
  int target_stage = 1;
};

// A statement the organization has taken out of scope (it does not apply
// to it), with the reason it gave: not scored, not planned for.
struct ScopeExclusion {
  std::string item_id;
  std::string reason;
};

// An organization's targets and scope, edited together.
struct OrgAims {
  std::vector<CompetencyTarget> targets;
  std::vector<ScopeExclusion> out_of_scope;
};

// A benchmark dataset's description and provenance (its rows are the
// PEERS.csv text, read with Store::benchmark_dataset_csv).
struct BenchmarkDataset {
  std::string id;
  std::string name;
  std::string source;
  std::string citation;
  std::string licence;
  std::string published_on;  // YYYY-MM-DD or empty
  bool synthetic = false;    // made-up data, labelled as such wherever shown
  std::int64_t assessments = 0;
  std::vector<std::string> competency_ids;
  std::string created_by;  // user id
  std::int64_t created_at = 0;
};

// A customer-ratings dataset (docs/ratings-datasets.md): companies'
// ratings by their customers, instance-wide reference data like a benchmark
// dataset, with the same provenance.
struct RatingsDataset {
  std::string id;
  std::string name;
  std::string source;
  std::string citation;
  std::string licence;
  std::string published_on;          // YYYY-MM-DD or empty
  bool synthetic = false;            // made-up data, labelled as such wherever shown
  std::int64_t ratings = 0;          // rows
  std::vector<std::string> metrics;  // the metric ids it rates, in order first seen
  std::string created_by;            // user id, or "cli"
  std::int64_t created_at = 0;
};

struct User {
  std::string id;
  std::string email;
  std::string name;
  std::string password_hash;  // Argon2id, libsodium's string format
  bool is_admin = false;
  std::int64_t created_at = 0;
  // The language of the application's pages for this user ("en", "de");
  // empty: the browser's.
  std::string lang{};
};

struct Membership {
  std::string user_id;
  std::string org_id;
  OrgRole role = OrgRole::viewer;
};

struct LoginSession {
  std::string user_id;
  std::string csrf_token;
  std::int64_t expires_at = 0;
  std::int64_t created_at = 0;
};

struct Cycle {
  std::string id;
  std::string org_id;
  std::string name;
  CycleStatus status = CycleStatus::draft;
  std::string model_yaml;  // immutable snapshot of the model it runs on
  bool anonymous = true;
  int min_group_size = 3;
  std::optional<std::int64_t> opens_at;
  std::optional<std::int64_t> closes_at;
  std::int64_t created_at = 0;
  std::int64_t answers_version = 0;  // grows with every submission, revocation or release
  bool pulse = false;                // asks only the model's pulse statements (core/forms.h)
  // Anonymous cycles: how many times results were released (at a close
  // that brought at least min_group_size new submissions).
  int releases = 0;
  std::optional<std::int64_t> closed_at{};  // when it was last closed
  // What participants see as the assessment's name (SPEC section 5);
  // empty: a neutral title (participant_title), never the internal name.
  std::string title{};
  // Reminders on the cycle's schedule (Store::queue_due_reminders): days
  // after the invitation was sent, and days before closes_at; at most
  // max_reminders per person, by hand or on the schedule.
  std::vector<int> reminder_after_days{};
  std::vector<int> reminder_before_close_days{};
  int max_reminders = 2;
  // The languages participants may answer in, the first the default
  // (SPEC section 4.8); each is the model's own language or one of
  // translation_yamls'.
  std::vector<std::string> languages{"en"};
  // The model's translations by language, snapshot at creation like
  // model_yaml (write only: rows are read without them, see
  // Store::cycle_translation_yamls).
  std::map<std::string, std::string> translation_yamls{};
};

// A personal participant link. The token itself is never stored, only its hash.
struct Participant {
  std::string id;
  std::string cycle_id;
  std::string label;
  std::string role;
  std::string unit;
  bool revoked = false;
  std::optional<std::int64_t> submitted_at;
  std::int64_t created_at = 0;
  std::string claim_hash{};  // of the secret of the browser that claimed it; empty: unclaimed
  std::optional<int> released_in{};  // anonymous cycles: the release that first published it
  std::string
      import_id{};  // imported from a survey tool's export (SurveyImport::id); empty: a link
  std::string workshop_id{};  // the live workshop it joined; empty for an invited link
  // Revoked in an anonymous cycle: the link opens no more, but its person
  // stays counted as invited (and a submitted response in the results), so
  // that revoking says nothing about what they did.
  bool link_closed = false;
  // The language the participant chose on the welcome page; empty: none
  // (the browser's, else the cycle's default).
  std::string lang{};
  // `lang` as it was when the link submitted (the report counts it; a
  // later choice does not change it); empty before submission.
  std::string answered_lang{};
};

struct StoredAnswer {
  std::string item_id;
  std::optional<int> value;  // nullopt: don't know
};

// A participant's comment on a competency (SPEC section 2, comments): free
// text kept apart from the answers, never scored. Saving an empty text
// deletes it.
struct StoredComment {
  std::string competency_id;
  std::string text;
  // The id a new comment gets (random, made by the caller: it says nothing
  // of who wrote it or when); a comment replaced keeps its first id.
  std::string id{};
};

// A comment of a cycle as stored, for the views that choose what to show.
struct CycleComment {
  std::string id;
  std::string participant_id;
  std::string competency_id;
  std::string text;
  bool hidden = false;  // hidden by a facilitator: its text is never shown
  std::string hidden_reason{};
  std::string hidden_by{};  // user id
  std::int64_t hidden_at = 0;
};

// A participant's answers, for scoring a cycle.
// A survey tool's export imported into a cycle (docs/import.md): its
// respondents are participants of the cycle, submitted when imported, with
// no link anyone can open.
struct SurveyImport {
  std::string id;
  std::string cycle_id;
  std::string file_name;
  std::string mapping;  // a shipped mapping's name, or the uploaded file's
  std::int64_t respondents = 0;
  std::string imported_by;  // user id
  std::int64_t imported_at = 0;
};

// One imported respondent: `source_key` identifies them in the export
// (a hash of the export's respondent id in its compared form, never the id
// itself), so that the same respondent imported twice is refused.
// `typed_key`, when not empty, is the hash of the id as typed: imports
// before ids were compared in that form stored it, so it is compared with
// the stored keys too, never stored.
struct ImportedRespondent {
  Participant participant;
  std::string source_key;
  std::string typed_key;
  std::vector<StoredAnswer> answers;
  std::vector<StoredComment> comments{};  // each with its id
};

struct ParticipantAnswers {
  Participant participant;
  std::vector<StoredAnswer> answers;
};

// An action of an organization's plan: drafted from a cycle (kind obstacle,
// gap or sustain, with its reason) or added by hand (empty kind).
enum class ActionStatus { planned, in_progress, done, dropped };
std::string_view to_text(ActionStatus status);
std::optional<ActionStatus> action_status_from(std::string_view text);

// What the audit log records of a change: who (a user id, or "cli"), in
// which organization (empty for the instance), what and when. The store
// writes it in the transaction of the change it describes, and only when
// the change is made; an entry without an action records nothing.
struct AuditEntry {
  std::string actor;
  std::string org_id;
  std::string action;
  std::string detail;
  std::int64_t at = 0;
};

// One change of an action's status: who made it and when. The first entry
// of every action has no `from` (the status it was created with).
struct StatusChange {
  std::optional<ActionStatus> from;
  ActionStatus to = ActionStatus::planned;
  std::string user_id;
  std::string user_name;  // as it was then
  std::int64_t at = 0;
};

struct Action {
  std::string id;
  std::string org_id;
  std::string cycle_id;  // the cycle it was drafted from; empty when added by hand
  std::optional<core::PlanActionKind> kind;  // none: added by hand
  std::string title;
  std::string description;
  std::string reason;
  std::string competency;  // a competency id of the model, or empty
  std::optional<int> target_stage;
  std::vector<std::string> items;  // statement ids it is meant to move
  std::string owner;
  std::string success_measure;
  std::optional<std::string> due;  // YYYY-MM-DD
  ActionStatus status = ActionStatus::planned;
  std::int64_t version = 1;  // grows with every edit
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::vector<StatusChange> history;  // oldest first
};

// What a facilitator wrote about one statement of a cycle in the group
// discussion: a note, and the value the group settled on ("we agree this
// is a 2"), a point of the cycle's scale.
struct DiscussionNote {
  std::string cycle_id;
  std::string item_id;
  std::string note;             // may be empty
  std::optional<int> decision;  // none recorded
  std::int64_t updated_at = 0;
  std::string updated_by;  // user id
};

// The last cycle of an organization and its last closed one, for the
// organizations page and `cxm due`: read for every organization at once.
struct OrgCycleSummary {
  std::string org_id;
  std::optional<Cycle> last_cycle;   // most recently created, drafts included
  std::optional<Cycle> last_closed;  // the one closed most recently
};

// A live workshop on a cycle (core/workshop.h): people in a room join with
// its code, answer the statements of the current step on their phones, and
// see a statement's distribution once the facilitator reveals it.
struct Workshop {
  std::string id;
  std::string cycle_id;
  std::string code;  // the join code; it works only while the workshop is open
  bool open = true;
  core::Pace pace = core::Pace::statement;
  core::StepOrder step_order = core::StepOrder::model;
  int round = 1;                                       // 2 once the second round started
  int step = 0;                                        // index into the round's steps
  std::vector<std::vector<std::string>> steps;         // first round: item ids per step
  std::vector<std::vector<std::string>> second_steps;  // second round; empty before it
  std::int64_t version = 0;                            // grows with every change
  std::string created_by;                              // user id
  std::int64_t created_at = 0;
  std::optional<std::int64_t> ended_at{};

  const std::vector<std::vector<std::string>>& round_steps() const {
    return round == 2 ? second_steps : steps;
  }
};

// A statement's answers in one round as they were when it was revealed;
// they cannot change afterwards, and neither can this.
struct WorkshopReveal {
  int round = 1;
  std::string item_id;
  std::vector<std::size_t> histogram;  // per scale point, min..max
  std::size_t dont_know = 0;
  std::int64_t revealed_at = 0;
};

// How many joined people answered a statement in a round ("don't know"
// included).
struct WorkshopCount {
  std::string item_id;
  std::size_t answered = 0;
};

// Someone a cycle's link is mailed to: kept apart from the answers (no
// view or export joins the two) and erased when the cycle closes.
struct MailRecipient {
  std::string participant_id, cycle_id, name, email;
  std::optional<std::int64_t> invited_at{};  // when the invitation was sent
  int reminders = 0;                         // reminders queued so far
  std::optional<std::int64_t> last_reminded_at{};
  std::int64_t created_at = 0;
};

enum class MailKind { invitation, reminder };
std::string_view to_text(MailKind kind);
std::optional<MailKind> mail_kind_from(std::string_view text);
enum class MailState { queued, sending, sent, failed, cancelled };
std::string_view to_text(MailState state);
std::optional<MailState> mail_state_from(std::string_view text);

// One message of the outbox: never its link nor its body (rendered when
// sent). participant_id is empty once the cycle closed.
struct MailMessage {
  std::string id, cycle_id, participant_id;
  MailKind kind = MailKind::invitation;
  MailState state = MailState::queued;
  int attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::string last_error{};  // the server's answer, or why it was cancelled
  std::int64_t created_at = 0;
  std::optional<std::int64_t> sent_at{};
};

}  // namespace cxm::store
