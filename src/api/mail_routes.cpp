// E-mail (SPEC section 4.7): reminders, the outbox of a cycle, sending the
// invitations of people already on its list, and the instance's mail
// settings with a test message. Invitations by e-mail are made in
// invitation_routes.cpp; the messages leave through the Scheduler.
#include <map>

#include "api/access.h"
#include "api/context.h"
#include "api/request_fields.h"
#include "api/scheduler.h"
#include "mail/address.h"
#include "mail/compose.h"
#include "mail/smtp_client.h"

namespace cxm::api {
namespace {

// Why an anonymous cycle counts no reminders: who is reminded is who has
// not answered, and a count that moves by one after inviting one person
// (or on one person's reminder day) would say whether they have.
constexpr const char* kRemindersHidden =
    "In an anonymous cycle reminders are not counted: who gets one is who has not answered, so "
    "a count could tell whether one person has. Reminders go to everyone invited by e-mail "
    "who has not submitted (at most the cycle's limit each, not twice within 12 hours).";

Check mail_configured(const Context& ctx) {
  if (ctx.options.mail.smtp) return std::nullopt;
  return refuse(409, "mail_not_configured",
                "this server sends no e-mail: start it with --smtp, --mail-from and --public-url "
                "(docs/mail.md)");
}

json state_counts() {
  return {{"queued", 0}, {"sending", 0}, {"sent", 0}, {"failed", 0}, {"cancelled", 0}};
}

// POST /api/cycles/{cycle}/reminders: a reminder to everyone invited by
// e-mail who has not submitted (at most the cycle's max_reminders each,
// and not twice within 12 hours), checked per person inside the write.
http::Response send_reminders(Context& ctx, const http::Request& request,
                              const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  CXM_CHECK(mail_configured(ctx));
  if (cycle->status != store::CycleStatus::open)
    return refuse(409, "conflict", "reminders go out only while the cycle is open");
  if (ctx.store.mail_recipients(cycle->id).empty()) {
    return refuse(409, "no_recipients",
                  cycle->closed_at ? "nobody can be reminded: the cycle's e-mail addresses were "
                                     "erased when it closed; invite people by e-mail again"
                                   : "nobody in this cycle was invited by e-mail");
  }
  const auto queued = ctx.store.queue_reminders(
      cycle->id, ctx.now(), audit_entry(ctx, *caller, cycle->org_id, "reminders.send", cycle->id));
  if (queued.queued > 0 && ctx.scheduler) ctx.scheduler->wake();
  if (cycle->anonymous) {
    return json_response(200, {{"queued", nullptr},
                               {"at_limit", nullptr},
                               {"recent", nullptr},
                               {"hidden", kRemindersHidden}});
  }
  return json_response(200, {{"queued", queued.queued},
                             {"at_limit", queued.at_limit},
                             {"recent", queued.recent},
                             {"hidden", nullptr}});
}

// POST /api/cycles/{cycle}/invitations/send: the invitation of everyone on
// the cycle's list who has none yet (a list saved without sending).
http::Response send_invitations(Context& ctx, const http::Request& request,
                                const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  CXM_CHECK(mail_configured(ctx));
  if (cycle->status == store::CycleStatus::closed)
    return refuse(409, "conflict", "the cycle is closed; reopen it to invite people");
  const auto queued = ctx.store.queue_invitations(
      cycle->id, ctx.now(),
      audit_entry(ctx, *caller, cycle->org_id, "invitations.send", cycle->id));
  if (queued > 0 && ctx.scheduler) ctx.scheduler->wake();
  return json_response(200, {{"queued", queued}});
}

// GET /api/cycles/{cycle}/outbox: how many messages are queued, sent and
// failed; each message with its person and state, except that an
// anonymous cycle lists and counts its invitations alone (who gets a
// reminder is who has not answered).
http::Response outbox(Context& ctx, const http::Request& request, const http::PathParams& params) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_TRY(cycle, require_cycle(ctx, *caller, params.at("cycle"), OrgRole::facilitator));
  std::map<std::string, store::MailRecipient> recipients;
  for (auto& r : ctx.store.mail_recipients(cycle->id)) recipients[r.participant_id] = r;
  std::map<std::string, std::string> labels;
  if (!cycle->anonymous) {
    for (const auto& p : ctx.store.participants_of(cycle->id)) labels[p.id] = p.label;
  }
  json counts = state_counts(), invitations = state_counts(), reminders = state_counts();
  json messages = json::array();
  for (const auto& m : ctx.store.mail_messages(cycle->id)) {
    const bool invitation = m.kind == store::MailKind::invitation;
    const std::string state(to_text(m.state));
    counts[state] = counts[state].get<int>() + 1;
    json& by_kind = invitation ? invitations : reminders;
    by_kind[state] = by_kind[state].get<int>() + 1;
    if (cycle->anonymous && !invitation) continue;
    const auto who = recipients.find(m.participant_id);
    json name = nullptr, email = nullptr;
    if (who != recipients.end()) {
      name = who->second.name;
      email = who->second.email;
    } else if (const auto label = labels.find(m.participant_id); label != labels.end()) {
      name = label->second;  // a named cycle keeps its names; the address went at the close
    }
    messages.push_back({{"id", m.id},
                        {"kind", invitation ? "invitation" : "reminder"},
                        {"name", name},
                        {"email", email},
                        {"state", state},
                        {"attempts", m.attempts},
                        {"error", m.last_error.empty() ? json(nullptr) : json(m.last_error)},
                        {"created_at", m.created_at},
                        {"sent_at", m.sent_at ? json(*m.sent_at) : json(nullptr)}});
  }
  return json_response(
      200, {{"mail_configured", ctx.options.mail.smtp.has_value()},
            {"anonymous", cycle->anonymous},
            {"recipients", recipients.size()},
            {"counts", cycle->anonymous ? json(nullptr) : counts},
            {"invitations", invitations},
            {"reminders", cycle->anonymous ? json(nullptr) : reminders},
            {"reminders_hidden", cycle->anonymous ? json(kRemindersHidden) : json(nullptr)},
            {"messages", messages}});
}

// What the mail settings' routes are kept to.
constexpr const char* kMailAdmins = "sees and tests the mail settings";

// GET /api/admin/mail: the settings the server was started with, never
// the password.
http::Response mail_settings(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_CHECK(require_admin(*caller, kMailAdmins));
  const auto& mail = ctx.options.mail;
  if (!mail.smtp) {
    return json_response(
        200, {{"configured", false},
              {"server", nullptr},
              {"security", nullptr},
              {"user", nullptr},
              {"from", nullptr},
              {"public_url", mail.public_url.empty() ? json(nullptr) : json(mail.public_url)},
              {"password_set", false},
              {"rate_per_minute", mail.rate_per_minute},
              {"outbox", nullptr}});
  }
  const auto& s = *mail.smtp;
  const auto health = ctx.store.mail_health();
  const json outbox = {
      {"waiting", health.waiting},
      {"failed", health.failed},
      {"oldest_waiting_since",
       health.oldest_waiting_since ? json(*health.oldest_waiting_since) : json(nullptr)},
      {"latest_error", health.latest_error.empty() ? json(nullptr) : json(health.latest_error)}};
  const char* security = s.security == mail::Security::starttls ? "starttls"
                         : s.security == mail::Security::tls    ? "tls"
                                                                : "none";
  return json_response(200, {{"configured", true},
                             {"server", "smtp://" + s.host + ":" + std::to_string(s.port)},
                             {"security", security},
                             {"user", s.user.empty() ? json(nullptr) : json(s.user)},
                             {"from", s.from},
                             {"public_url", mail.public_url},
                             {"password_set", !s.password.empty()},
                             {"rate_per_minute", mail.rate_per_minute},
                             {"outbox", outbox}});
}

// POST /api/admin/mail/test {to}: one message now, the server's answer in
// the response (502 when it refused or could not be reached).
http::Response mail_test(Context& ctx, const http::Request& request, const http::PathParams&) {
  CXM_TRY(caller, require_user(ctx, request));
  CXM_CHECK(require_admin(*caller, kMailAdmins));
  CXM_CHECK(mail_configured(ctx));
  CXM_TRY(body, json_body(request));
  CXM_TRY(to, required_text(body, "to"));
  if (const auto error = mail::address_error(to))
    return refuse(422, "invalid", "to: '" + to + "' is not an e-mail address: " + *error);
  const auto& mail = ctx.options.mail;
  mail::Letter letter;
  letter.kind = mail::Kind::test;
  letter.recipient_name = caller->user.name;
  letter.org_name = "cxm";
  letter.title = "Test message";
  const auto result = mail::SmtpClient(*mail.smtp)
                          .send(to, mail::mime_message(mail::compose(letter), letter,
                                                       mail.smtp->from, to, ctx.now(), new_id()));
  ctx.store.audit(caller->user.id, "", "mail.test",
                  result.status == mail::SendResult::sent ? "sent" : "failed", ctx.now());
  if (result.status != mail::SendResult::sent)
    return refuse(502, "mail_failed", "the mail server did not take the message: " + result.reply);
  return json_response(200, {{"sent", true}, {"reply", result.reply}});
}

}  // namespace

void add_mail_routes(http::Router& router, Context& ctx) {
  router.on_worker("POST", "/api/cycles/{cycle}/reminders", bind(ctx, send_reminders));
  router.on_worker("POST", "/api/cycles/{cycle}/invitations/send", bind(ctx, send_invitations));
  router.on_worker("GET", "/api/cycles/{cycle}/outbox", bind(ctx, outbox));
  router.on_worker("GET", "/api/admin/mail", bind(ctx, mail_settings));
  router.on_worker("POST", "/api/admin/mail/test", bind(ctx, mail_test));
}

}  // namespace cxm::api
