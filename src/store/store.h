// The database behind cxm serve: SQLite (WAL) or PostgreSQL through SOCI,
// one SQL dialect, migrations applied at open. Reads run on a small pool of
// sessions; writes go to writer threads that group concurrent requests into
// shared transactions (group commit, see writer.h), so a write returns only
// once it is committed and durability does not cost throughput.
//
// Every rule that must hold across processes (a closed cycle takes no
// answers, a revoked or submitted link takes no changes, a transition starts
// from the status it expects, settings change only in a draft) is checked
// inside the write's transaction, and its outcome is a value, never an
// exception. Several processes may share one database; each write that
// changes something other processes cache is announced to them (see
// change_feed.h).
//
// Every method is thread-safe and blocking, except save_answers_async; do
// not call the blocking ones on an HTTP I/O thread. Database failures (the
// database unreachable, the disk full, the lock not granted in time) throw
// StoreError; the message never carries bound values.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/change_feed.h"
#include "store/database_url.h"
#include "store/login_throttle.h"
#include "store/records.h"

namespace cxm::store {

// The database cannot be used now; the request may be tried again.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Why a participant's write was refused, checked inside the transaction:
// one link check for every kind of link (an invited link's questionnaire,
// a workshop seat's phone), then, for a seat, the workshop's rules.
// not_claimed: the writer does not hold the link's claim (another browser
// started it, or none has).
// workshop_link: a link that joined a live workshop answers only there,
// and is never submitted into the cycle's results (docs/anonymity.md).
// unknown_link: no such link, or, for a seat's answers, a link that joined
// no workshop.
enum class LinkRefusal {
  none,
  unknown_link,
  revoked,
  already_submitted,
  not_claimed,
  cycle_not_open,
  no_answers,
  workshop_link,
  // A workshop seat's answers (AnswerWrite::workshop_round):
  workshop_ended,
  wrong_round,  // the workshop is in another round now
  not_current,  // a statement not on the screen now
  revealed,     // its distribution is shown: answers are locked for the round
  // Round 2 asks again only those who answered the statement in round 1:
  // comparing the rounds must not single out someone who joined late.
  not_in_first_round,
};

// Claiming a link (the first browser to start it) or resuming it elsewhere
// with its resume code.
enum class ClaimOutcome {
  claimed,          // this browser holds it now
  resumed,          // the resume code matched: this browser holds it now
  already_claimed,  // another browser started it: resume with the code
  unclaimed,        // nothing to resume: claim it instead
  wrong_code,
  locked,  // too many wrong codes: the facilitator must send a new link
  submitted,
  revoked,
  unknown_link
};
inline constexpr int kMaxResumeFailures = 10;

// Hiding a comment (Store::hide_comment).
enum class HideOutcome { hidden, already_hidden, not_found };

enum class RevokeOutcome { revoked, already_revoked, not_found, submitted_anonymously };

// Live workshops (records.h), every rule checked inside the write.
enum class WorkshopStart { started, cycle_not_open, already_open, code_taken };
enum class WorkshopChange { done, not_found, ended, conflict };
enum class RevealOutcome {
  revealed,
  already_revealed,
  too_few_answers,
  not_current,
  ended,
  not_found
};
struct RevealResult {
  RevealOutcome outcome = RevealOutcome::not_found;
  std::size_t answered = 0;  // answers to the statement in this round ("don't know" included)
  // Of them, what the reveal rule counts: answers from distinct browsers,
  // none joined by a member of the organization.
  std::size_t counted = 0;
  int min_group_size = 0;  // the cycle's, as read in the write
};
enum class JoinOutcome { joined, no_such_code, cycle_not_open };
struct JoinResult {
  JoinOutcome outcome = JoinOutcome::no_such_code;
  std::string workshop_id;
  std::string cycle_id;
  // The device had joined this workshop before: its seat was taken back
  // (new token and claim), no new one made.
  bool rejoined = false;
};
// Who joins a workshop: the joining browser's device (a hash of its
// long-lived device cookie) and, when the browser is logged in, its user.
// A reveal counts one answer per device, and none from a phone a member
// of the organization (or an administrator) joined.
struct Joiner {
  std::string device_hash;
  std::string user_id;  // empty: nobody logged in
  bool is_admin = false;
};

// One write of a participant's answers, whatever the kind of link: the
// questionnaire's (with its comments) or a workshop seat's in a round.
struct AnswerWrite {
  std::string participant_id;
  std::string claim_hash;  // the hash of the writing browser's claim secret
  std::vector<StoredAnswer> answers;
  std::vector<StoredComment> comments;  // the questionnaire's only
  std::int64_t now = 0;
  // 0: the questionnaire's answers, kept as round 1. 1 or 2: a workshop
  // seat's answers in that round of its workshop, under the workshop's
  // rules (round 1's are the seat's round-1 answers, as the questionnaire's).
  int workshop_round = 0;
};

struct SaveOutcome {
  LinkRefusal refusal = LinkRefusal::none;
  std::size_t saved = 0;  // how many of the participant's answers of the round exist now
};

// Importing a survey tool's respondents into a cycle, checked in the write:
// the cycle must be open, and no respondent may have been imported into it
// before (`repeated` lists the source keys that were).
enum class ImportOutcome { imported, not_found, cycle_not_open, already_imported };
struct ImportWrite {
  ImportOutcome outcome = ImportOutcome::not_found;
  std::vector<std::string> repeated;
};

// Importing customer metrics (SPEC section 4.10), all or nothing, checked
// in the write: every unit must be one of the organization's units, and a
// named rating keeps the scale it was first imported with.
enum class MetricsImportOutcome { imported, org_not_found, unknown_unit, scale_changed };
struct MetricsImport {
  MetricsImportOutcome outcome = MetricsImportOutcome::org_not_found;
  std::size_t added = 0;  // figures for a metric, period and unit not there before
  std::size_t replaced =
      0;  // figures that replaced the stored one of their metric, period and unit
  // unknown_unit: the index of the first figure whose unit is not the
  // organization's, and that unit; scale_changed: the index of the named
  // rating's definition, and its id.
  std::size_t index = 0;
  std::string detail{};
};
// An organization's customer metrics: the definitions of its named ratings
// (builtin ones are core::builtin_metrics()) and every figure, ordered by
// metric, unit ("" first) and period.
struct CustomerMetrics {
  std::vector<core::MetricDefinition> named;
  std::vector<core::CustomerFigure> figures;
};

// A cycle transition or settings edit, checked against the stored status.
enum class CycleChange { done, not_found, conflict };
// An edit of an action, checked against the version the editor read.
enum class ActionChange { done, not_found, conflict };

struct StoreOptions {
  std::size_t readers = 4;  // pooled reading sessions
  // How long a SQLite connection waits for another process's write lock
  // before the write fails (and the request gets 503).
  int sqlite_busy_timeout_ms = 10000;
};

// What a backup or restore copied, and what a restore left out.
struct BackupSummary {
  std::size_t tables = 0;
  std::size_t rows = 0;
  int schema_version = 0;
  // Restore: the users the file names as administrators, by e-mail address
  // (sorted); none of them is one in the database restored into.
  std::vector<std::string> admin_rights_not_restored;
  // Restore: log-in sessions of the file, not restored (everyone logs in
  // again).
  std::size_t sessions_not_restored = 0;
};

// What moving one organization copied (export_organization and
// import_organization).
struct OrgTransferSummary {
  std::string org_id;  // in the database written to (import: the new id)
  std::string org_name;
  std::size_t rows = 0;
  std::size_t users = 0;          // export: the users the organization's rows name
  std::size_t users_matched = 0;  // import: already there with the same e-mail address
  std::size_t users_created = 0;  // import: new, without a password
  // Import: users the file names as administrators, by e-mail address
  // (sorted); a file never grants administrator rights.
  std::vector<std::string> admin_rights_not_imported;
  // Import: user rows of the file that no row of the organization names
  // (sorted e-mail addresses); not imported.
  std::vector<std::string> users_skipped;
  // Import: the organization's place in the benchmark pool, left out (a
  // file never enters peers into this instance's pool; the owner joins it).
  bool pool_membership_skipped = false;
};

// E-mail invitations and reminders (mail.cpp).
// Links to create with the people they are mailed to: recipients[i] is
// participants[i]'s (its participant_id and cycle_id are taken from it).
struct MailInvite {
  std::vector<Participant> participants;
  std::vector<MailRecipient> recipients;
  bool send = false;  // queue an invitation for each
};
struct MailInviteResult {
  bool created = false;
  std::string link_key;  // the cycle's (made now when it had none)
  // Refused: the addresses (as given) already a recipient of the cycle, or
  // given twice, compared ignoring ASCII case.
  std::vector<std::string> taken_addresses{};
};
// What queuing reminders by hand did: queued, and left out because the
// person had max_reminders already or one less than 12 hours ago.
struct ReminderQueue {
  std::size_t queued = 0, at_limit = 0, recent = 0;
};
// A message claimed for sending, with what its body needs.
struct MailJob {
  std::string id;
  MailKind kind = MailKind::invitation;
  std::string cycle_id{}, participant_id{}, to_name{}, to_address{}, link_key{};
  int attempts = 0;         // including this one
  int reminder_number = 0;  // the recipient's reminders so far
};
enum class MailResult { sent, retry, failed };
// How the whole instance's outbox fares, for its administrators: what
// waits (and since when), what failed, and the mail server's latest
// complaint about a message still waiting or failed.
struct MailHealth {
  std::size_t waiting = 0;  // queued or sending
  std::size_t failed = 0;
  std::optional<std::int64_t> oldest_waiting_since;
  std::string latest_error;  // empty: none
};
// A cycle whose date has come (Store::due_transitions).
struct DueTransition {
  std::string cycle_id, org_id;
  CycleStatus from = CycleStatus::draft, to = CycleStatus::open;
};
// Reminders are never queued twice within this long for one person.
inline constexpr std::int64_t kReminderGapMs = 12LL * 60 * 60 * 1000;

// Newest schema version this build knows.
int latest_schema_version();

// Each organization's last cycle and last closed one, from cycles_for()'s
// list (ordered by organization).
std::vector<OrgCycleSummary> summarize_cycles(const std::vector<Cycle>& cycles);

class Store {
 public:
  // Opens the database (creating a SQLite file and its directory if needed)
  // and applies pending migrations. Throws StoreError.
  static std::unique_ptr<Store> open(const DatabaseUrl& url, StoreOptions options = {});
  ~Store();

  const DatabaseUrl& url() const;
  int schema_version();

  // Users and log-in sessions.
  std::size_t user_count();
  // Creates the first admin only while no user exists; false otherwise.
  bool create_first_admin(const User& user, const AuditEntry& audit = {});
  // False when the e-mail address is taken.
  bool create_user(const User& user);
  std::optional<User> find_user_by_email(const std::string& email);
  std::optional<User> find_user(const std::string& id);
  // The language of the application for a user ("" follows the browser);
  // false when there is no such user.
  bool set_user_lang(const std::string& user_id, const std::string& lang);
  // Also ends the user's log-in sessions.
  void set_password_hash(const std::string& user_id, const std::string& hash,
                         const AuditEntry& audit = {});
  // Grants or takes back administrator rights over the whole instance
  // (operators only: cxm user grant-admin / revoke-admin). Also ends the
  // user's log-in sessions, so that no session made before holds rights
  // it was not made with.
  void set_admin(const std::string& user_id, bool admin, const AuditEntry& audit = {});
  void create_session(const std::string& token_hash, const LoginSession& session);
  std::optional<LoginSession> find_session(const std::string& token_hash, std::int64_t now);
  void delete_session(const std::string& token_hash);

  // Guessing limits (login_throttle.h), shared by every process. Counts one
  // attempt against every key, inside one write transaction and before the
  // secret (a password, a code) is checked, unless one of the keys must
  // still wait: then nothing is counted and the longest wait (milliseconds,
  // > 0) returned.
  std::int64_t claim_attempt(const std::vector<ThrottleKey>& keys, std::int64_t now);
  // The attempt's secret was right: forgets the counts of `forget` (e.g. the
  // account, whose owner is back) and takes the attempt back from each of
  // `take_back` (e.g. the client's address and the instance, which others
  // share).
  void attempt_succeeded(const std::vector<std::string>& forget,
                         const std::vector<std::string>& take_back);

  // Proves that the database takes writes: a committed write of one row
  // through the writer. Throws StoreError when it does not (read-only
  // file, full disk, server down).
  void write_probe(std::int64_t now);

  // Organizations and memberships.
  void create_organization(const Organization& org, const std::optional<Membership>& owner,
                           const AuditEntry& audit = {});
  std::optional<Organization> find_organization(const std::string& id);
  // Replaces name, industry, size band, the review interval, the stage
  // roll-up rule (a change makes the cycles' cached reports stale, as
  // save_org_aims does) and the ordered list of units.
  // Refused (nothing changes), with a message naming the unit, when a unit
  // still used by links of the organization's cycles would be dropped.
  std::optional<std::string> update_organization(const Organization& org,
                                                 const AuditEntry& audit = {});
  // Every organization for an admin, else those the user is a member of.
  std::vector<Organization> organizations_for(const User& user);
  // The organization's logo, or none. Setting replaces it (the bytes must
  // have been checked: report/branding.h); none removes it.
  std::optional<OrgLogo> organization_logo(const std::string& org_id);
  void set_organization_logo(const std::string& org_id, const std::optional<OrgLogo>& logo,
                             const AuditEntry& audit = {});
  // The organization's target stages per competency and the statements it
  // took out of scope. Saving replaces both, and makes every cached report
  // of its cycles stale (in every process: they say what is in scope).
  OrgAims org_aims(const std::string& org_id);
  void save_org_aims(const std::string& org_id, const OrgAims& aims, const AuditEntry& audit = {});
  // The same for every organization `user` sees (all for an admin), by id;
  // organizations with neither are left out.
  std::map<std::string, OrgAims> aims_for(const User& user);
  std::optional<OrgRole> membership_role(const std::string& user_id, const std::string& org_id);
  void add_membership(const Membership& membership);
  // The members of every organization, by organization id, user ids in
  // order; the instance's administrators are left out (they see every
  // organization anyway, and often set them all up).
  std::map<std::string, std::vector<std::string>> members_by_org();

  // Cycles. Rows are read without their model snapshot (model_yaml is
  // empty); cycle_model_yaml() returns it.
  void create_cycle(const Cycle& cycle, const AuditEntry& audit = {});
  std::optional<Cycle> find_cycle(const std::string& id);
  std::vector<Cycle> cycles_of(const std::string& org_id);
  std::string cycle_model_yaml(const std::string& id);
  // The snapshot of the cycle's model translations, by language.
  std::map<std::string, std::string> cycle_translation_yamls(const std::string& id);
  // The model snapshots of several cycles in one query, by cycle id.
  std::map<std::string, std::string> cycle_model_yamls(const std::vector<std::string>& ids);
  // Every cycle of the organizations `user` sees (all for an admin), by
  // organization then creation, in one query (see summarize_cycles).
  std::vector<Cycle> cycles_for(const User& user);
  // Creates a cycle and its links in one transaction (repeating a cycle
  // with the same invitation list): not_found when the organization is gone.
  CycleChange create_cycle_with_participants(const Cycle& cycle,
                                             const std::vector<Participant>& participants,
                                             const std::vector<std::string>& token_hashes,
                                             const AuditEntry& audit = {});
  // Moves the cycle from `from` to `to` with UPDATE ... WHERE status =
  // :from: conflict when its status is no longer `from`. Closing an
  // anonymous cycle releases its unpublished submissions in the same
  // transaction when there are at least min_group_size of them.
  // Closing records `now` as the cycle's closed_at.
  // Closing also erases the cycle's mail recipients and link key, cancels
  // its queued messages ("the cycle closed") and clears participant_id on
  // its outbox rows, in the same transaction.
  // `when_due` (the scheduler's transitions, see due_transitions): also
  // only while the date rule still holds, checked in the write (conflict
  // otherwise), so that a list read before someone reopened a cycle by hand
  // does not close it again.
  CycleChange transition_cycle(const std::string& id, CycleStatus from, CycleStatus to,
                               std::int64_t now, const AuditEntry& audit = {},
                               bool when_due = false);
  // Saves name, anonymity, minimum group size, dates and the pulse flag,
  // only while the cycle is a draft (conflict otherwise).
  CycleChange update_draft_cycle(const Cycle& cycle);
  // The participant-facing title, in any status (it changes no answer and
  // no figure); false: no such cycle.
  bool set_cycle_title(const std::string& id, const std::string& title, const AuditEntry& audit);
  // Moves an open cycle's closing date (to extend it, say, when too few
  // have answered): conflict unless the cycle is open and `closes_at` is
  // after `now` and after its opening date, checked in the write. The
  // scheduler then closes it on the new date, even if it was reopened.
  CycleChange set_closing_date(const std::string& id, std::int64_t closes_at, std::int64_t now,
                               const AuditEntry& audit = {});
  // The reminder schedule, in a draft or an open cycle (false: no such
  // cycle, or closed).
  bool set_cycle_reminders(const std::string& id, const std::vector<int>& after_days,
                           const std::vector<int>& before_close_days, int max_reminders,
                           const AuditEntry& audit);
  // The cycles whose date has come at `now`: a draft whose opens_at has
  // passed and whose closes_at has not opens; an open cycle whose closes_at
  // has passed closes unless it was closed since (closed_at >= closes_at:
  // reopened by hand). A read: make each with transition_cycle(...,
  // when_due = true); of several processes one wins, the others get
  // conflict.
  std::vector<DueTransition> due_transitions(std::int64_t now);

  // E-mail invitations and reminders (mail.cpp); every rule is checked
  // inside the write. Addresses live apart from answers (mail_recipients)
  // and go when the cycle closes (transition_cycle).
  // Creates links, their recipients (and the cycle's link key when it has
  // none, returned), and when `send` an invitation message per recipient,
  // in one transaction; each link's token hash is token_hash_of(link key,
  // participant id). Refused like create_participants (closed or gone), or
  // when an address is already a recipient of the cycle (returned);
  // nothing is written then.
  MailInviteResult create_mail_invitations(
      const MailInvite& invite,
      const std::function<std::string(const std::string& link_key,
                                      const std::string& participant_id)>& token_hash_of,
      std::int64_t now, const AuditEntry& audit = {});
  // Queues an invitation for every recipient of the cycle without one
  // (queued, sending or sent: a failed or cancelled one is queued again),
  // except revoked links; submitted ones too (skipping them would count
  // who has submitted). 0 when the cycle is closed or gone.
  std::size_t queue_invitations(const std::string& cycle_id, std::int64_t now,
                                const AuditEntry& audit = {});
  std::vector<MailRecipient> mail_recipients(const std::string& cycle_id);
  std::optional<std::string> cycle_link_key(const std::string& cycle_id);
  // A reminder for each recipient of the open cycle who has not submitted,
  // was not revoked, has had fewer than max_reminders and none within
  // kReminderGapMs; counts those left out. Nothing when it is not open.
  ReminderQueue queue_reminders(const std::string& cycle_id, std::int64_t now,
                                const AuditEntry& audit = {});
  // Scheduled reminders of every open cycle with a schedule: a recipient
  // whose invitation was sent is due when a point of the schedule
  // (invited_at + d days, closes_at - d days) lies after their last
  // reminder (or the invitation) and not after `now`, and the rules of
  // queue_reminders hold; at most one per person per call. Audited per
  // cycle as actor "schedule". Returns how many were queued.
  std::size_t queue_due_reminders(std::int64_t now);
  // Takes up to `limit` due messages (queued and due, or sending with an
  // expired lease) of open cycles for `owner` until now + lease_ms. On the
  // way it cancels those that must not go: any of a closed cycle or whose
  // recipient is gone ("the cycle closed"), any to a revoked link, a
  // reminder to someone who has submitted. Messages of a draft wait.
  std::vector<MailJob> claim_mail(const std::string& owner, std::int64_t now, std::int64_t lease_ms,
                                  std::size_t limit);
  // Records a claimed message's outcome, only while `owner` holds it
  // (false otherwise): sent (an invitation's recipient is invited now),
  // retry (queued again at next_attempt_at) or failed; `reply` is kept.
  bool finish_mail(const std::string& id, const std::string& owner, MailResult result,
                   const std::string& reply, std::int64_t next_attempt_at, std::int64_t now);
  std::vector<MailMessage> mail_messages(const std::string& cycle_id);  // oldest first
  MailHealth mail_health();

  // Participant links and answers.
  // Creates links in one cycle (that of the first participant), unless the
  // cycle is closed or gone: then nothing is created and false returned.
  bool create_participants(const std::vector<Participant>& participants,
                           const std::vector<std::string>& token_hashes,
                           const AuditEntry& audit = {});
  std::optional<Participant> find_participant_by_token(const std::string& token_hash);
  // Keeps the language a participant chose; false when there is no such link.
  bool set_participant_lang(const std::string& participant_id, const std::string& lang);
  std::optional<Participant> find_participant(const std::string& id);
  std::vector<Participant> participants_of(const std::string& cycle_id);
  // A named cycle's link is revoked: it opens no more and its answers
  // leave the results. An anonymous cycle's link is closed instead
  // (link_closed): it opens no more, but every count and result stays as it
  // was, so that revoking says nothing about what its person did (taking a
  // submitted response out would show it by difference). Refused
  // (submitted_anonymously) only for an imported respondent of an anonymous
  // cycle, which has no link.
  RevokeOutcome revoke_participant(const std::string& id);
  // The first browser to start a link claims it with the hash of a secret
  // it keeps, and gets a resume code (stored as `resume_hash`) for another
  // device. Only an unclaimed, unsubmitted, unrevoked link can be claimed.
  ClaimOutcome claim_link(const std::string& id, const std::string& claim_hash,
                          const std::string& resume_hash);
  // Hands the claim to a new browser when `resume_hash` matches, with a new
  // resume code (`new_resume_hash`): whoever knew the old one (say, the
  // person who started the link and handed it over) cannot take it back.
  // Wrong codes are counted, and the link is locked after
  // kMaxResumeFailures.
  ClaimOutcome resume_link(const std::string& id, const std::string& resume_hash,
                           const std::string& claim_hash, const std::string& new_resume_hash);
  // Saves (inserts or replaces) answers of one participant; idempotent.
  // One job for every kind of link, with one link check inside its
  // transaction: refused, saving nothing, when the link is unknown, revoked
  // or submitted, `claim_hash` is not the link's claim, the cycle is not
  // open, or the link is of the other kind (a seat's link takes no
  // questionnaire answers and an invited link no seat's). A seat's answers
  // (workshop_round 1 or 2) are refused, too, unless every statement is on
  // the screen now and not revealed in this round, the workshop is open and
  // in that round, and, in round 2, the seat answered it in round 1.
  // `comments` are saved in the same transaction under the same rules
  // (an empty text deletes the participant's comment on that competency);
  // each text must be core::normalized_comment's and pass
  // core::comment_problem (std::invalid_argument otherwise, nothing saved;
  // likewise for comments with a seat's answers).
  SaveOutcome save_answers(AnswerWrite write);
  // The questionnaire's answers (AnswerWrite with workshop_round 0).
  SaveOutcome save_answers(const std::string& participant_id, const std::string& claim_hash,
                           const std::vector<StoredAnswer>& answers, std::int64_t now,
                           const std::vector<StoredComment>& comments = {});
  // The same without blocking: queues the write and returns. `done` runs on
  // the writer thread after the commit with the outcome, or with the
  // StoreError that failed it; it must not throw or block.
  using SaveDone = std::function<void(const SaveOutcome*, const StoreError*)>;
  void save_answers_async(AnswerWrite write, SaveDone done);
  // Marks the participant submitted (and moves the cycle's answers_version).
  // Refused when the link is unknown, revoked or already submitted, not
  // claimed by `claim_hash`, the cycle is not open, or nothing was answered.
  LinkRefusal submit(const std::string& participant_id, const std::string& claim_hash,
                     std::int64_t now);
  std::vector<StoredAnswer> answers_of(const std::string& participant_id);
  // Comments (comments.cpp): the participant's own, by competency id.
  std::vector<StoredComment> comments_of(const std::string& participant_id);
  // Every comment of the cycle's links that were not revoked and did not
  // join a workshop, ordered by id (random: no order of submission). Which
  // may be shown is for the caller to decide (core/comments.h).
  std::vector<CycleComment> cycle_comments(const std::string& cycle_id);
  // A facilitator hides a comment of the cycle with a reason: its text is
  // kept, never changed, and never shown again; the reason, who and when
  // are kept. Checked in the write; audited with it.
  HideOutcome hide_comment(const std::string& cycle_id, const std::string& comment_id,
                           const std::string& reason, const std::string& user_id, std::int64_t now,
                           const AuditEntry& audit = {});
  // Survey imports (imports.cpp). Stores the import and its respondents as
  // submitted participants of its cycle, with their answers, in one
  // transaction: all or nothing. Refused when the cycle is gone or not
  // open, or when any respondent's source key was imported into the cycle
  // before (nothing is stored then).
  ImportWrite import_respondents(const SurveyImport& survey_import,
                                 const std::vector<ImportedRespondent>& respondents,
                                 const AuditEntry& audit = {});
  std::vector<SurveyImport> imports_of(const std::string& cycle_id);  // oldest first
  // The source keys of every respondent imported into the cycle so far.
  std::vector<std::string> imported_source_keys(const std::string& cycle_id);
  std::vector<ParticipantAnswers> cycle_answers(const std::string& cycle_id);
  // The same for several cycles in one query each for links and answers
  // (each link says its cycle), ordered by link id.
  std::vector<ParticipantAnswers> answers_of_cycles(const std::vector<std::string>& cycle_ids);

  // Action plans (an organization's actions, records.h).
  // Creates the action with its first history entry (from: none).
  void create_action(const Action& action, const StatusChange& created,
                     const AuditEntry& audit = {});
  // Every action of the organization with its history, oldest first.
  std::vector<Action> actions_of(const std::string& org_id);
  std::optional<Action> find_action(const std::string& org_id, const std::string& id);
  // Saves every field of `action` (and a history entry by `who` when the
  // status changes) only when the stored version is `expected_version`:
  // conflict when someone else saved in between. Checked in the write.
  ActionChange update_action(const Action& action, std::int64_t expected_version,
                             const StatusChange& who, const AuditEntry& audit = {});
  // False when there is no such action of the organization.
  bool delete_action(const std::string& org_id, const std::string& id,
                     const AuditEntry& audit = {});
  // Benchmark datasets, instance-wide reference data. `peers_csv` must
  // have been validated (peers/peers_csv.h); a dataset never changes.
  void create_benchmark_dataset(const BenchmarkDataset& dataset, const std::string& peers_csv,
                                const AuditEntry& audit = {});
  std::vector<BenchmarkDataset> benchmark_datasets();  // newest first
  std::optional<BenchmarkDataset> find_benchmark_dataset(const std::string& id);
  std::string benchmark_dataset_csv(const std::string& id);
  // Customer-ratings datasets (ratings.cpp), instance-wide reference data
  // like benchmark datasets. `ratings_csv` must be the validated rows as
  // peers::write_ratings_csv writes them; a dataset never changes.
  void create_ratings_dataset(const RatingsDataset& dataset, const std::string& ratings_csv,
                              const AuditEntry& audit = {});
  std::vector<RatingsDataset> ratings_datasets();  // newest first
  std::optional<RatingsDataset> find_ratings_dataset(const std::string& id);
  std::string ratings_dataset_csv(const std::string& id);  // empty when there is none
  // The instance pool: organizations that opted in to contribute their
  // closed cycles, anonymized. Joining again keeps the first date.
  void set_benchmark_pool_member(const std::string& org_id, bool member, std::int64_t now,
                                 const AuditEntry& audit = {});
  std::optional<std::int64_t> benchmark_pool_joined_at(const std::string& org_id);
  std::vector<std::string> benchmark_pool_members();
  // Customer metrics of an organization (customer_metrics.cpp). Stores
  // `figures` (each figure replaces the stored one of the same metric,
  // period and unit) and the definitions of the named ratings they use
  // (`named`; a new definition's name and text replace the stored one's,
  // its scale must be the same) in one transaction, or nothing: refused
  // when the organization is gone, a figure's unit is not one of its units,
  // or a named rating's scale differs from the one stored. Every cached
  // report of the organization's cycles goes (they show the figures). The
  // caller has checked each figure (metric known or defined in `named`,
  // period text core::to_text of a Period, value on the scale,
  // respondents >= 1).
  MetricsImport import_customer_metrics(const std::string& org_id,
                                        const std::vector<core::MetricDefinition>& named,
                                        const std::vector<core::CustomerFigure>& figures,
                                        const AuditEntry& audit = {});
  CustomerMetrics customer_metrics_of(const std::string& org_id);
  // Deletes every figure of the metric (and a named rating's definition);
  // how many figures went (none: nothing is recorded).
  std::size_t delete_customer_metric(const std::string& org_id, const std::string& metric,
                                     const AuditEntry& audit = {});
  // Discussion notes (one per cycle and statement). Saving replaces the
  // statement's note, or deletes it when it has neither text nor decision;
  // false (nothing saved) when the cycle is gone.
  bool save_discussion_note(const DiscussionNote& note, const AuditEntry& audit = {});
  std::vector<DiscussionNote> discussion_notes(const std::string& cycle_id);

  // Live workshops. Starting one is refused unless the cycle is open and
  // has no open workshop, or when the code is in use by an open workshop
  // (make another). Moving, revealing, the second round and the end are
  // refused once the workshop has ended.
  WorkshopStart start_workshop(const Workshop& workshop, const AuditEntry& audit = {});
  std::optional<Workshop> find_workshop(const std::string& id);
  // Every workshop of a cycle, open or ended, the oldest first.
  std::vector<Workshop> workshops_of(const std::string& cycle_id);
  // The cycle's open workshop, if any.
  std::optional<Workshop> open_workshop_of(const std::string& cycle_id);
  // Shows step `step` of round `round`: conflict when the workshop is in
  // another round or has no such step.
  WorkshopChange set_workshop_step(const std::string& id, int round, int step);
  // Freezes a statement's answers of the current round and shows their
  // distribution: only when it is on the screen now and at least the
  // cycle's minimum group answered it (core::can_reveal) from distinct
  // devices, none joined by a member of the organization (Joiner), counted
  // in the same transaction that refuses every later answer to it in this
  // round.
  RevealResult reveal_statement(const std::string& id, int round, const std::string& item_id,
                                int scale_min, int scale_max, std::int64_t now,
                                const AuditEntry& audit = {});
  // Starts round 2 on `steps` (item ids per step) at its first step;
  // conflict while it is in round 2 or when `steps` is empty. A round 2
  // started again after return_to_first_round asks `steps` instead.
  WorkshopChange start_second_round(const std::string& id,
                                    const std::vector<std::vector<std::string>>& steps,
                                    const AuditEntry& audit = {});
  // Ends the second round on the statement where it stands and goes back to
  // round 1 to continue with its next statements: at the step after the
  // furthest one with a revealed statement (that step itself while some of
  // its statements are not revealed). A later second round asks again what
  // the first round has since revealed split (and what this one left
  // unrevealed); answers and reveals of both rounds stay. Conflict unless
  // the workshop is in round 2.
  WorkshopChange return_to_first_round(const std::string& id, const AuditEntry& audit = {});
  // The code stops working at once.
  WorkshopChange end_workshop(const std::string& id, std::int64_t now,
                              const AuditEntry& audit = {});
  // A person joins the open workshop of `code`: a new link in its cycle
  // (`participant`, whose cycle_id is filled in here), claimed by the
  // browser holding the secret of `claim_hash`. A device that joined the
  // workshop before gets its own seat back instead (its token and claim
  // replaced): one browser is one seat, however often it joins. Refused when no open
  // workshop has the code or its cycle is not open.
  JoinResult join_workshop(const std::string& code, Participant participant, const Joiner& joiner,
                           const std::string& token_hash, const std::string& claim_hash);
  // A joined person's answers in `round` (1 or 2): save_answers with
  // workshop_round `round`.
  LinkRefusal save_workshop_answers(const std::string& participant_id,
                                    const std::string& claim_hash, int round,
                                    const std::vector<StoredAnswer>& answers, std::int64_t now);
  std::vector<StoredAnswer> workshop_answers_of(const std::string& participant_id, int round);
  std::vector<WorkshopCount> workshop_answer_counts(const std::string& workshop_id, int round);
  std::vector<WorkshopReveal> workshop_reveals(const std::string& workshop_id);
  std::size_t workshop_joined(const std::string& workshop_id);

  // Records what was done that changed nothing here (an export), in a
  // transaction of its own. A change records itself: the methods above
  // take an AuditEntry and write it in the change's own transaction.
  void audit(const std::string& actor, const std::string& org_id, const std::string& action,
             const std::string& detail, std::int64_t now);

  // Backup and restore (backup.cpp). backup() writes a consistent copy of
  // every table to a new SQLite file at `path` (refused when it exists)
  // while the server runs; restore() loads such a file (from either kind of
  // database, brought up to this build's schema) into this database, which
  // must have no data. A file grants no rights (SPEC section 8,
  // "Insiders"): restore() makes no administrator (the summary names those
  // the file had, for an operator to grant again) and restores no log-in
  // session. Both throw StoreError with the reason.
  BackupSummary backup(const std::string& path);
  BackupSummary restore(const std::string& path);

  // Moving one organization between instances (org_transfer.cpp).
  // export_organization() writes a new SQLite file at `path` (refused when
  // it exists) with only the rows of that organization, from one
  // consistent snapshot: its settings, units, cycles with their links,
  // answers and discussion notes, actions with their history, pool
  // membership, audit entries, and the users its rows name (members and
  // authors) without passwords or administrator rights. E-mail addresses,
  // link keys and the outbox never leave (they are kept apart from the
  // answers, SPEC section 8). `now` is recorded
  // as the export's time. import_organization() loads such a file in one
  // transaction with ids from `new_id` for the organization, its cycles,
  // links and actions; users are matched by e-mail address (ignoring ASCII
  // case) or created without a password. A file grants no rights beyond
  // its own organization: no user it creates is an administrator, no user
  // already there changes, only the users the organization's rows name
  // come, and a row that names another organization, or a user of this
  // database the file does not hold, refuses the whole file; the summary
  // says what was left out. Refused, importing nothing, when an
  // organization of the same name (ignoring case and outer spaces) exists.
  // Both throw StoreError with the reason.
  OrgTransferSummary export_organization(const std::string& org_id, const std::string& path,
                                         std::int64_t now);
  OrgTransferSummary import_organization(const std::string& path,
                                         const std::function<std::string()>& new_id);

  // Starts delivering changes made by any process (this one included) to
  // `listener`, on a thread of the store's, until stop_watching() or the
  // store's end. Replaces an earlier listener.
  void watch_changes(ChangeListener listener);
  // Returns once no listener call is running or will run.
  void stop_watching();

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cxm::store
