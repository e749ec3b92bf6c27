// The API keeps its contract: a walk through the whole flow (setup, log-in,
// organization, cycle, invitations, the participant's questionnaire,
// answers, submission, report, log-out) and through the errors on the way,
// on the real binary, with every response checked against the schema the
// OpenAPI document gives for its route and status (see contract.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Contract, ContractClient, loadDocument } from './contract.mjs';
import { startServer, startSmtpSink } from './support.mjs';

let server;
let sink; // the mail server the walk's messages go to
let contract;
let admin; // the facilitator's session
let participant; // no session: the token authenticates
const s = {}; // what the flow has made so far

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({ args: [...sink.args, '--public-url', 'https://cxm.example.com'] });
  contract = new Contract(loadDocument());
  admin = new ContractClient(server.url, contract);
  participant = new ContractClient(server.url, contract);
});
after(async () => {
  await server?.stop();
  await sink?.stop();
});

test('the checker rejects what the document does not allow', () => {
  const cycle = {
    id: 'c1',
    org_id: 'o1',
    name: 'Spring',
    title: '',
    status: 'open',
    anonymous: true,
    min_group_size: 3,
    opens_at: null,
    closes_at: null,
    created_at: 1,
    pulse: false,
    reminders: { after_days: [3, 7], before_close_days: [], max: 2 },
    languages: ['en'],
    model: { id: 'm', version: '1', title: 'M', language: 'en', languages: ['en'], roles: [], items: 35, minutes: 6, pulse_items: 0 },
  };
  contract.checkResponse('post', '/api/cycles/{cycle}/open', 200, cycle);
  const { status: _, ...withoutStatus } = cycle;
  assert.throws(() => contract.checkResponse('post', '/api/cycles/{cycle}/open', 200, withoutStatus), /required property 'status'/);
  assert.throws(() => contract.checkResponse('post', '/api/cycles/{cycle}/open', 200, { ...cycle, status: 'paused' }), /allowed values/);
  assert.throws(() => contract.checkResponse('post', '/api/cycles/{cycle}/open', 200, { ...cycle, extra: 1 }), /additional properties/);
  assert.throws(() => contract.checkResponse('post', '/api/cycles/{cycle}/open', 200, { ...cycle, opens_at: 'soon' }), /opens_at/);
  assert.throws(() => contract.checkResponse('get', '/api/cycles/{cycle}', 200, cycle), /responses/); // the detail has counts
  assert.throws(() => contract.checkResponse('post', '/api/cycles/{cycle}/open', 409, { error: { code: 'conflict' } }), /message/);
  assert.throws(() => contract.checkResponse('delete', '/api/session', 204, { gone: true }), /no body/);
  assert.throws(() => contract.checkResponse('get', '/api/cycles/{cycle}/report', 200, { suppressed: false }), /ReportResult/);
  assert.throws(() => contract.checkResponse('get', '/api/nowhere', 200, {}), /not in the OpenAPI document/);
  contract.succeeded.clear();
});

test('the server serves this document', async () => {
  const served = await participant.request('get', '/api/openapi.json');
  assert.deepEqual(served, contract.doc, 'the binary embeds the src/api/openapi.json of this checkout');
  assert.deepEqual(await participant.request('get', '/api/health'), { status: 'ok' });
});

test('setup and log-in', async () => {
  assert.equal((await admin.request('get', '/api/setup')).needed, true);
  await admin.request('get', '/api/session', { expect: 401 });
  await admin.request('post', '/api/session', { body: { email: 'lead@example.com', password: 'a long password' }, expect: 401 });
  const setup = { email: 'Lead@Example.com', name: 'Dana Lead', password: 'a long password' };
  await admin.request('post', '/api/setup', { body: { ...setup, password: 'short' }, expect: 422 });
  await admin.request('post', '/api/setup', { raw: JSON.stringify(setup), contentType: 'text/plain', expect: 415 });
  await admin.request('post', '/api/setup', { raw: '{"email":', expect: 400 });
  const session = await admin.request('post', '/api/setup', { body: setup, expect: 201 });
  assert.equal(session.user.email, 'lead@example.com');
  assert.equal(session.user.is_admin, true);
  await admin.request('post', '/api/setup', { body: setup, expect: 409 });
  assert.equal((await admin.request('get', '/api/setup')).needed, false);
  assert.equal((await admin.request('get', '/api/session')).user.name, 'Dana Lead');
});

test('organizations', async () => {
  const body = { name: 'Acme Insurance', industry: 'Insurance', size_band: '250–999', units: ['Sales', 'Service'] };
  await admin.request('post', '/api/orgs', { body, csrf: false, expect: 403 });
  await admin.request('post', '/api/orgs', { body: { ...body, name: '' }, expect: 422 });
  s.org = await admin.request('post', '/api/orgs', { body, expect: 201 });
  assert.equal(s.org.size_band, '250-999');  // the band as datasets write it
  await admin.request('post', '/api/orgs', { body: { name: 'Bare' }, expect: 201 });
  assert.equal((await admin.request('get', '/api/orgs')).organizations.length, 2);
  await admin.request('get', '/api/orgs/{org}', { params: { org: 'nope' }, expect: 404 });
  s.org = await admin.request('patch', '/api/orgs/{org}', {
    params: { org: s.org.id },
    body: { name: 'Acme Insurance Ltd', units: ['Sales', 'Service', 'Claims'] },
  });
  assert.deepEqual(await admin.request('get', '/api/orgs/{org}', { params: { org: s.org.id } }), s.org);
  // Branding: the logo on its own address, an image as the body (a PNG here); never SVG.
  const org = { org: s.org.id };
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPj/HwADBwIAMCbHYQAAAABJRU5ErkJggg==', 'base64');
  await admin.request('put', '/api/orgs/{org}/logo', { params: org, raw: '<svg onload="alert(1)"/>', contentType: 'image/svg+xml', expect: 415 });
  await admin.request('put', '/api/orgs/{org}/logo', { params: org, raw: png, contentType: 'image/png', csrf: false, expect: 403 });
  const branded = await admin.request('put', '/api/orgs/{org}/logo', { params: org, raw: png, contentType: 'image/png' });
  assert.match(branded.logo, /^\/api\/orgs\/.+\/logo\?v=\d+$/);
  await admin.request('get', '/api/orgs/{org}/logo', { params: org });
  assert.equal(admin.headers.get('content-type'), 'image/png');
  assert.equal((await admin.request('delete', '/api/orgs/{org}/logo', { params: org })).logo, null);
  await admin.request('get', '/api/orgs/{org}/logo', { params: org, expect: 404 });
  s.org = await admin.request('put', '/api/orgs/{org}/logo', { params: org, raw: png, contentType: 'image/png' });
  s.org = await admin.request('patch', '/api/orgs/{org}', {
    params: org,
    body: { consultant: 'Acme Consulting', confidentiality: 'Confidential — prepared for Acme Insurance' },
  });
  assert.equal(s.org.consultant, 'Acme Consulting');
});

test('a cycle from draft to open', async () => {
  const org = { org: s.org.id };
  await admin.request('post', '/api/orgs/{org}/cycles', { params: org, body: { name: 'Broken', model_yaml: 'id: [' }, expect: 422 });
  s.cycle = await admin.request('post', '/api/orgs/{org}/cycles', {
    params: org,
    body: { name: 'Spring assessment', anonymous: true, min_group_size: 3 },
    expect: 201,
  });
  assert.equal(s.cycle.status, 'draft');
  assert.equal((await admin.request('get', '/api/orgs/{org}/cycles', { params: org })).cycles.length, 1);
  const cycle = { cycle: s.cycle.id };
  await admin.request('patch', '/api/cycles/{cycle}', { params: cycle, body: { opens_at: 2000, closes_at: 1000 }, expect: 422 });
  // An anonymous cycle's group is never smaller than 3 (SPEC section 8).
  await admin.request('patch', '/api/cycles/{cycle}', { params: cycle, body: { min_group_size: 2 }, expect: 422 });
  await admin.request('patch', '/api/cycles/{cycle}', { params: cycle, body: { anonymous: false, min_group_size: 1 } });
  await admin.request('patch', '/api/cycles/{cycle}', { params: cycle, body: { anonymous: true }, expect: 422 });
  await admin.request('patch', '/api/cycles/{cycle}', {
    params: cycle,
    body: { anonymous: true, min_group_size: 3, opens_at: Date.UTC(2027, 2, 1), closes_at: Date.UTC(2027, 3, 1) },
  });
  await admin.request('patch', '/api/cycles/{cycle}', { params: cycle, body: { opens_at: null, closes_at: null } });
  // A draft can become a pulse and back; the cycle says what it asks.
  const asPulse = await admin.request('patch', '/api/cycles/{cycle}', { params: cycle, body: { pulse: true } });
  assert.deepEqual([asPulse.pulse, asPulse.model.items, asPulse.model.pulse_items, asPulse.model.minutes], [true, 14, 14, 2]);
  const asFull = await admin.request('patch', '/api/cycles/{cycle}', { params: cycle, body: { pulse: false } });
  assert.deepEqual([asFull.pulse, asFull.model.items, asFull.model.pulse_items, asFull.model.minutes], [false, 49, 14, 8]);
  await admin.request('patch', '/api/cycles/{cycle}', { params: cycle, body: { pulse: 'yes' }, expect: 422 });
  const detail = await admin.request('get', '/api/cycles/{cycle}', { params: cycle });
  assert.equal(detail.min_group_size, 3);
  assert.equal(detail.responses.total.invited, 0);
  await admin.request('get', '/api/cycles/{cycle}', { params: { cycle: 'nope' }, expect: 404 });
  await admin.request('post', '/api/cycles/{cycle}/close', { params: cycle, expect: 409 });

  // Links before opening: anonymous batches tagged with role and unit, and personal ones.
  const invite = (body, expect = 201) =>
    admin.request('post', '/api/cycles/{cycle}/invitations', { params: cycle, body, expect });
  await invite({ count: 1, role: 'astronaut' }, 422);
  await invite({ count: 1, unit: 'Mars' }, 422);
  await invite({ people: [] }, 422);
  const links = [
    ...(await invite({ count: 2, role: 'executive', unit: 'Sales' })).invitations,
    ...(await invite({ people: [{ label: 'Alex Morgan', role: 'manager', unit: 'Service' }, { label: 'Sam Lee', role: 'manager' }] }))
      .invitations,
    ...(await invite({ count: 2, role: 'frontline' })).invitations,
  ];
  assert.equal(links.length, 6);
  s.links = links;
  const listed = (await admin.request('get', '/api/cycles/{cycle}/invitations', { params: cycle })).invitations;
  assert.equal(listed.length, 6);

  await participant.request('put', '/api/r/{token}/answers', { params: { token: links[0].token }, body: { answers: {} }, expect: 409 });
  s.cycle = await admin.request('post', '/api/cycles/{cycle}/open', { params: cycle });
  assert.equal(s.cycle.status, 'open');
  await admin.request('post', '/api/cycles/{cycle}/open', { params: cycle, expect: 409 });
  await admin.request('patch', '/api/cycles/{cycle}', { params: cycle, body: { name: 'Late' }, expect: 409 });
});

test('participants answer and submit', async () => {
  const token = (i) => ({ token: s.links[i].token });
  // Each participant's browser: it starts its link (claims it) and keeps the claim cookie.
  const browsers = [];
  const browser = (i) => (browsers[i] ??= new ContractClient(server.url, contract));
  const q = await participant.request('get', '/api/r/{token}', { params: token(0) });
  // The organization's logo, through the link's own token.
  assert.match(q.organization.logo, /^\/api\/r\/[^/]+\/logo\?v=\d+$/);
  await participant.request('get', '/api/r/{token}/logo', { params: token(0) });
  assert.equal(q.cycle.status, 'open');
  assert.equal(q.claim, 'none');
  assert.equal(q.progress.answered, 0);
  assert.ok(q.scale.dont_know);
  s.items = q.items.map((item) => item.id);
  s.itemTexts = q.items.map((item) => item.text);
  await participant.request('get', '/api/r/{token}', { params: { token: 'f'.repeat(32) }, expect: 404 });
  await participant.request('get', '/api/r/{token}', { params: { token: 'short' }, expect: 404 });
  // The participant's language, kept with the link: one the cycle offers.
  assert.deepEqual(q.languages, [{ lang: 'en', name: 'English' }]);
  assert.equal(q.lang, 'en');
  await participant.request('put', '/api/r/{token}/language', { params: token(0), body: { lang: 'en' } });
  await participant.request('put', '/api/r/{token}/language', { params: token(0), body: { lang: 'fr' }, expect: 422 });
  await participant.request('put', '/api/r/{token}/language', { params: { token: 'f'.repeat(32) }, body: { lang: 'en' }, expect: 404 });

  const started = await browser(0).request('post', '/api/r/{token}/claim', { params: token(0), body: {} });
  assert.match(started.resume_code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await participant.request('post', '/api/r/{token}/claim', { params: token(0), body: {}, expect: 409 }); // started elsewhere
  await participant.request('post', '/api/r/{token}/claim', { params: token(0), body: { resume_code: 'AAAA-AAAA' }, expect: 422 });
  await participant.request('put', '/api/r/{token}/answers', { params: token(0), body: { answers: {} }, expect: 403 });
  for (let p = 1; p < 5; p++) await browser(p).request('post', '/api/r/{token}/claim', { params: token(p), body: {} });
  const save = (i, answers, expect = 200) =>
    browser(i).request('put', '/api/r/{token}/answers', { params: token(i), body: { answers }, expect });
  await save(0, { 'no-such-item': 3 }, 422);
  await save(0, { [s.items[0]]: 9 }, 422);
  await save(0, { [s.items[0]]: 2.5 }, 422);
  await browser(0).request('put', '/api/r/{token}/answers', { params: token(0), raw: 'answers', expect: 400 });
  await browser(0).request('post', '/api/r/{token}/submit', { params: token(0), expect: 422 }); // nothing answered

  // Five people answer; the sixth link stays unused. Varied answers, some
  // "don't know", so that the report has spread, agreement and gaps.
  for (let p = 0; p < 5; p++) {
    const answers = Object.fromEntries(s.items.map((id, i) => [id, (i + p) % 11 === 0 ? null : 1 + ((i * (p + 2) + p) % 5)]));
    const half = s.items.slice(0, 10);
    const saved = await save(p, Object.fromEntries(half.map((id) => [id, answers[id]])));
    assert.equal(saved.saved, 10);
    const all = await save(p, answers);
    assert.equal(all.progress.answered, s.items.length);
    assert.deepEqual(await browser(p).request('post', '/api/r/{token}/submit', { params: token(p) }), { submitted: true });
  }
  await browser(0).request('post', '/api/r/{token}/submit', { params: token(0) }); // again: still a success
  await save(0, { [s.items[0]]: 1 }, 409);
  // After submission the link shows nothing personal, even to its own browser.
  const after = await browser(0).request('get', '/api/r/{token}', { params: token(0) });
  assert.equal(after.submitted, true);
  assert.deepEqual(after.answers, {});
});

test('response counts and reports', async () => {
  const cycle = { cycle: s.cycle.id };
  const counts = await admin.request('get', '/api/cycles/{cycle}/responses', { params: cycle });
  assert.deepEqual(counts.total, { invited: 6, started: 5, submitted: 5 });
  assert.ok(counts.by_unit.some((u) => u.unit === null));
  // Anonymous, minimum group 3: the one frontline person counts as "fewer than 3".
  assert.deepEqual(
    counts.by_role.find((r) => r.role === 'frontline'),
    { role: 'frontline', invited: 2, started: null, submitted: null, fewer_than: 3 },
  );

  // The live state, as a facilitator's screen follows it.
  const live = await admin.firstEvent('/api/cycles/{cycle}/events', { params: cycle, dataSchema: 'CycleLiveState' });
  assert.equal(live.event, 'cycle');
  assert.match(live.id, /^[0-9a-f]{16}$/);
  assert.deepEqual(live.data.responses, counts);

  // An open anonymous cycle shows no results; closing it releases them.
  const open = await admin.request('get', '/api/cycles/{cycle}/report', { params: cycle });
  assert.deepEqual([open.suppressed, open.anonymity.release], [true, 0]);
  s.cycle = await admin.request('post', '/api/cycles/{cycle}/close', { params: cycle });
  const report = await admin.request('get', '/api/cycles/{cycle}/report', { params: cycle });
  assert.equal(report.schema, 'cxm.score/1');
  assert.equal(report.respondents, 5);
  assert.deepEqual(report.anonymity, { release: 1, released: 5, held_back: 0 });
  assert.ok(report.segments.role.length >= 2);
  // The discussion of the released results, with a note and a decision.
  const discussion = await admin.request('get', '/api/cycles/{cycle}/discussion', { params: cycle });
  assert.equal(discussion.available, true);
  assert.equal(discussion.statements.length, report.items.length);
  assert.ok(discussion.agenda.length > 0);
  const first = discussion.agenda[0].id;
  const note = await admin.request('put', '/api/cycles/{cycle}/discussion/notes/{item}', {
    params: { ...cycle, item: first },
    body: { note: 'Talk about this first', decision: 3 },
  });
  assert.deepEqual([note.id, note.decision], [first, 3]);
  await admin.request('put', '/api/cycles/{cycle}/discussion/notes/{item}', {
    params: { ...cycle, item: first },
    body: { decision: 9 },
    expect: 422,
  });
  const noted = await admin.request('get', '/api/cycles/{cycle}/discussion', { params: cycle });
  assert.equal(noted.statements.find((st) => st.id === first).discussion.note, 'Talk about this first');
  const frontline = await admin.request('get', '/api/cycles/{cycle}/report', { params: cycle, query: { role: 'frontline' } });
  assert.equal(frontline.suppressed, true);
  // The printable report: an HTML page, not JSON; the document names its type.
  const page = await fetch(`${server.url}/api/cycles/${s.cycle.id}/report.html?download=1`, { headers: { cookie: admin.cookie } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(page.headers.get('content-disposition'), /^attachment; filename="cxm-report-/);
  assert.match(page.headers.get('content-security-policy'), /default-src 'none'/);
  const html = await page.text();
  assert.match(html, /^<!doctype html>/);
  assert.ok(html.includes('Spring assessment'));
  contract.checkResponse('get', '/api/cycles/{cycle}/report.html', page.status, undefined);
  // The workbook: a ZIP (an .xlsx) as an attachment; no answers sheet in an anonymous cycle.
  const book = await fetch(`${server.url}/api/cycles/${s.cycle.id}/report.xlsx`, { headers: { cookie: admin.cookie } });
  assert.equal(book.status, 200);
  assert.equal(book.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const bytes = Buffer.from(await book.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
  assert.ok(!bytes.toString('latin1').includes('name="Answers"'));
  contract.checkResponse('get', '/api/cycles/{cycle}/report.xlsx', book.status, undefined);
  // One table of the workbook as CSV: the same header as its sheet; the
  // note recorded above is among the decisions; an unknown table is 404.
  const decisions = await fetch(`${server.url}/api/cycles/${s.cycle.id}/report.csv?table=decisions`, { headers: { cookie: admin.cookie } });
  assert.equal(decisions.status, 200);
  assert.match(decisions.headers.get('content-type'), /^text\/csv/);
  const decisionsCsv = await decisions.text();
  assert.ok(decisionsCsv.startsWith('Statement id,Statement,Decision,Decision label,Note\r\n'));
  assert.ok(decisionsCsv.includes('Talk about this first'));
  contract.checkFile('get', '/api/cycles/{cycle}/report.csv', decisions.status, 'text/csv');
  const noTable = await fetch(`${server.url}/api/cycles/${s.cycle.id}/report.csv?table=nothing`, { headers: { cookie: admin.cookie } });
  assert.equal(noTable.status, 404);
  contract.checkResponse('get', '/api/cycles/{cycle}/report.csv', noTable.status, await noTable.json());
  // The report as Markdown, in the cycle's language (its default: English).
  const markdown = await fetch(`${server.url}/api/cycles/${s.cycle.id}/report.md`, { headers: { cookie: admin.cookie } });
  assert.equal(markdown.status, 200);
  assert.match(markdown.headers.get('content-type'), /^text\/markdown/);
  assert.match(await markdown.text(), /^# CX maturity: stage \d of 6/);
  contract.checkFile('get', '/api/cycles/{cycle}/report.md', markdown.status, 'text/markdown');
  const claims = await admin.request('get', '/api/cycles/{cycle}/report', { params: cycle, query: { unit: 'Claims' } });
  assert.equal(claims.suppressed, true);
  await admin.request('get', '/api/cycles/{cycle}/report', { params: cycle, query: { role: 'manager', unit: 'Sales' }, expect: 422 });
  s.cycle = await admin.request('post', '/api/cycles/{cycle}/open', { params: cycle });

  // A cycle nobody has answered yet.
  const empty = await admin.request('post', '/api/orgs/{org}/cycles', {
    params: { org: s.org.id },
    body: { name: 'Autumn', anonymous: false },
    expect: 201,
  });
  const none = await admin.request('get', '/api/cycles/{cycle}/report', { params: { cycle: empty.id } });
  assert.deepEqual([none.suppressed, none.respondents], [false, 0]);
});

test('revoking a link and closing the cycle', async () => {
  const cycle = { cycle: s.cycle.id };
  const unused = s.links[5];
  const revoked = await admin.request('post', '/api/cycles/{cycle}/invitations/{participant}/revoke', {
    params: { ...cycle, participant: unused.id },
  });
  assert.equal(revoked.revoked, true);
  await admin.request('post', '/api/cycles/{cycle}/invitations/{participant}/revoke', {
    params: { ...cycle, participant: 'nope' },
    expect: 404,
  });
  await participant.request('get', '/api/r/{token}', { params: { token: unused.token }, expect: 404 });
  // A revoked link's save is refused (the status may change; the body is an Error either way).
  const refused = await fetch(`${server.url}/api/r/${unused.token}/answers`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ answers: { [s.items[0]]: 3 } }),
  });
  assert.ok(refused.status >= 400);
  contract.checkResponse('put', '/api/r/{token}/answers', refused.status, await refused.json());

  s.cycle = await admin.request('post', '/api/cycles/{cycle}/close', { params: cycle });
  assert.equal(s.cycle.status, 'closed');
  await admin.request('post', '/api/cycles/{cycle}/invitations', { params: cycle, body: { count: 1 }, expect: 409 });
  await participant.request('post', '/api/r/{token}/submit', { params: { token: s.links[4].token } }); // submitted before: fine
});

test('an action plan: draft, add, edit, history, exports', async () => {
  const org = { org: s.org.id };
  const draft = await admin.request('get', '/api/cycles/{cycle}/plan', { params: { cycle: s.cycle.id } });
  assert.equal(draft.cycle, s.cycle.id);
  assert.ok(draft.actions.length >= 2);
  assert.equal(draft.actions[0].kind, 'obstacle');
  await admin.request('get', '/api/cycles/{cycle}/plan', { params: { cycle: 'nope' }, expect: 404 });
  const [first] = draft.actions;
  const body = { title: first.title, description: first.detail, reason: first.reason, kind: first.kind, cycle: s.cycle.id,
    competency: first.competency, target_stage: first.stage, items: first.items, owner: first.owner,
    success_measure: first.success_measure, due: '2020-01-31' };
  await admin.request('post', '/api/orgs/{org}/actions', { params: org, body: { ...body, due: '2026-02-30' }, expect: 422 });
  await admin.request('post', '/api/orgs/{org}/actions', { params: org, body: { ...body, items: ['NOPE'] }, expect: 422 });
  await admin.request('post', '/api/orgs/{org}/actions', { params: org, body: { ...body, status: 'maybe' }, expect: 422 });
  await admin.request('post', '/api/orgs/{org}/actions', { params: org, body, csrf: false, expect: 403 });
  const added = await admin.request('post', '/api/orgs/{org}/actions', { params: org, body, expect: 201 });
  assert.deepEqual([added.status, added.overdue, added.history.length], ['planned', true, 1]);
  const byHand = await admin.request('post', '/api/orgs/{org}/actions', { params: org, body: { title: 'Tidy the complaints log' }, expect: 201 });
  assert.deepEqual([byHand.cycle, byHand.kind, byHand.due], [null, null, null]);
  const edited = await admin.request('patch', '/api/orgs/{org}/actions/{action}', {
    params: { ...org, action: added.id },
    body: { version: added.version, status: 'in_progress', owner: 'Sam, Head of Service', due: '2099-12-31' },
  });
  assert.deepEqual([edited.status, edited.overdue, edited.version], ['in_progress', false, added.version + 1]);
  assert.deepEqual(edited.history.map((h) => [h.from, h.to, h.user.name]), [[null, 'planned', 'Dana Lead'], ['planned', 'in_progress', 'Dana Lead']]);
  // An edit from a stale version is refused.
  await admin.request('patch', '/api/orgs/{org}/actions/{action}', {
    params: { ...org, action: added.id }, body: { version: added.version, status: 'done' }, expect: 409 });
  await admin.request('patch', '/api/orgs/{org}/actions/{action}', { params: { ...org, action: 'nope' }, body: { version: 1 }, expect: 404 });
  const list = await admin.request('get', '/api/orgs/{org}/actions', { params: org });
  assert.deepEqual(list.actions.map((a) => a.id), [added.id, byHand.id]);
  const csv = await admin.request('get', '/api/orgs/{org}/actions.csv', { params: org });
  assert.match(csv, /^id,title,status,owner,due,/);
  assert.ok(csv.includes('"Sam, Head of Service"'));
  const ics = await admin.request('get', '/api/orgs/{org}/actions.ics', { params: org });
  assert.match(admin.headers.get('content-disposition'), /attachment; filename="acme-insurance-ltd-actions\.ics"/);
  assert.equal((ics.match(/BEGIN:VEVENT/g) ?? []).length, 1); // only the action with a due date
  assert.equal((ics.match(/BEGIN:VTODO/g) ?? []).length, 2); // every action
  assert.ok(ics.includes(`UID:${added.id}@cxm\r\n`));
  assert.ok(ics.includes('DUE;VALUE=DATE:20991231\r\n'));
  assert.ok(ics.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75));
  await admin.request('delete', '/api/orgs/{org}/actions/{action}', { params: { ...org, action: byHand.id }, expect: 204 });
  await admin.request('delete', '/api/orgs/{org}/actions/{action}', { params: { ...org, action: byHand.id }, expect: 404 });

  // Progress: the closed cycle with its released results, the action counts, the next due date.
  const progress = await admin.request('get', '/api/orgs/{org}/progress', { params: org });
  const closed = progress.cycles.find((c) => c.id === s.cycle.id);
  assert.equal(closed.respondents, 5);
  assert.equal(closed.change, null); // nothing earlier to compare with
  assert.deepEqual([progress.actions.in_progress, progress.actions.done], [1, 0]);
  assert.match(progress.next_due, /^\d{4}-\d{2}-\d{2}$/);
  await admin.request('get', '/api/orgs/{org}/progress', { params: { org: 'nope' }, expect: 404 });

  // Targets and scope: saved, read back, carried into the report.
  const target = { competency: closed.competencies[0].id, target_stage: 4 };
  const aims = await admin.request('put', '/api/orgs/{org}/aims', {
    params: org,
    body: { targets: [target], out_of_scope: [{ item: 'LS2b', reason: 'No executive team' }] },
  });
  assert.deepEqual(aims.targets.map((t) => [t.competency, t.target_stage]), [[target.competency, 4]]);
  await admin.request('put', '/api/orgs/{org}/aims', { params: org, body: { out_of_scope: [{ item: 'NOPE', reason: 'x' }] }, expect: 422 });
  await admin.request('put', '/api/orgs/{org}/aims', { params: org, body: {}, csrf: false, expect: 403 });
  assert.deepEqual(await admin.request('get', '/api/orgs/{org}/aims', { params: org }), aims);
  const scoped = await admin.request('get', '/api/cycles/{cycle}/report', { params: { cycle: s.cycle.id } });
  assert.deepEqual(scoped.out_of_scope.map((x) => x.id), ['LS2b']);
  assert.equal(scoped.competencies[0].target_stage, 4);
  assert.equal((await admin.request('get', '/api/orgs/{org}/progress', { params: org })).targets[0].target_stage, 4);
  await admin.request('put', '/api/orgs/{org}/aims', { params: org, body: { targets: [], out_of_scope: [] } });

  // The organizations page: the last closed cycle and when the next is due.
  const card = (await admin.request('get', '/api/orgs')).organizations.find((o) => o.id === s.org.id);
  assert.equal(card.overview.last_closed.id, s.cycle.id);
  assert.equal(card.overview.next_due, progress.next_due);

  // Repeating the cycle: a draft with the same settings and new links.
  const links = await admin.request('get', '/api/cycles/{cycle}/invitations', { params: { cycle: s.cycle.id } });
  const repeated = await admin.request('post', '/api/cycles/{cycle}/repeat', {
    params: { cycle: s.cycle.id },
    body: { name: 'Autumn' },
    expect: 201,
  });
  assert.deepEqual([repeated.cycle.status, repeated.cycle.anonymous, repeated.repeats], ['draft', true, s.cycle.id]);
  assert.equal(repeated.invitations.length, links.invitations.filter((l) => !l.revoked).length);
  await admin.request('post', '/api/cycles/{cycle}/repeat', { params: { cycle: repeated.cycle.id }, body: {}, expect: 409 });
});

test('benchmark datasets: import, list, compare, export', async () => {
  assert.deepEqual((await admin.request('get', '/api/benchmarks')).datasets, []);
  const report = await admin.request('get', '/api/cycles/{cycle}/report', { params: { cycle: s.cycle.id } });
  const ids = report.competencies.map((c) => c.id);
  let csv = `organization,industry,size_band,region,assessed_on,model_id,stage,overall,${ids.join(',')}\n`;
  for (let i = 0; i < 6; i++) csv += `p${i},Insurance,250-999,EU,2025-0${i + 1}-01,${report.model.id},${1 + i},${10 + 15 * i},${ids.map(() => 20 + 10 * i).join(',')}\n`;
  const meta = { name: 'Contract peers', source: 'contract test', licence: 'CC0-1.0', synthetic: true };
  const bad = await admin.request('post', '/api/benchmarks', { body: { ...meta, csv: csv.replace('2025-02-01', '2025-02-31') }, expect: 422 });
  assert.match(bad.error.message, /^csv: line 3, column 5: /);
  // The same columns as JSON: provenance in its metadata, rows checked by row and field.
  const rows = [0, 1, 2, 3, 4, 5].map((i) => ({
    organization: `j${i}`, industry: 'Insurance', size_band: '250-999', region: 'EU', assessed_on: `2025-0${i + 1}-01`,
    model_id: report.model.id, stage: 1 + i, overall: 10 + 15 * i, ...Object.fromEntries(ids.map((id) => [id, 20 + 10 * i])),
  }));
  const jsonMeta = { name: 'Contract peers (JSON)', source: 'contract test', licence: 'CC0-1.0', synthetic: true };
  const badJson = await admin.request('post', '/api/benchmarks', {
    body: { dataset: { metadata: jsonMeta, rows: rows.map((r, i) => (i === 2 ? { ...r, overall: 101 } : r)) } },
    expect: 422,
  });
  assert.match(badJson.error.message, /^dataset: row 3, field overall: /);
  const fromJson = await admin.request('post', '/api/benchmarks', { body: { dataset: { metadata: jsonMeta, rows } }, expect: 201 });
  assert.deepEqual([fromJson.name, fromJson.assessments, fromJson.synthetic], ['Contract peers (JSON)', 6, true]);
  const dataset = await admin.request('post', '/api/benchmarks', { body: { ...meta, published_on: '2025-12-01', csv }, expect: 201 });
  assert.equal(dataset.assessments, 6);
  assert.equal((await admin.request('get', '/api/benchmarks')).datasets[0].id, dataset.id);

  const org = { org: s.org.id };
  const compared = await admin.request('get', '/api/orgs/{org}/benchmark', { params: org, query: { dataset: dataset.id } });
  assert.equal(compared.cycle.id, s.cycle.id);
  assert.equal(compared.peers, 6);
  assert.equal(typeof compared.overall.percentile, 'number');
  assert.equal(compared.dataset.synthetic, true);
  const few = await admin.request('get', '/api/orgs/{org}/benchmark', { params: org, query: { dataset: dataset.id, since: '2025-03-01' } });
  assert.deepEqual([few.peers, few.missing, few.overall.percentile], [4, 1, null]);
  await admin.request('get', '/api/orgs/{org}/benchmark', { params: org, query: { dataset: 'nope' }, expect: 404 });
  await admin.request('get', '/api/orgs/{org}/benchmark', { params: org, query: { dataset: dataset.id, until: 'soon' }, expect: 422 });

  // The instance pool: members only, and nothing before 5 other members.
  assert.equal((await admin.request('get', '/api/orgs/{org}/benchmark-pool', { params: org })).member, false);
  await admin.request('get', '/api/orgs/{org}/benchmark', { params: org, query: { dataset: 'pool' }, expect: 409 });
  await admin.request('put', '/api/orgs/{org}/benchmark-pool', { params: org, body: {}, expect: 422 });
  const joined = await admin.request('put', '/api/orgs/{org}/benchmark-pool', { params: org, body: { member: true } });
  assert.equal(joined.member, true);
  const pool = await admin.request('get', '/api/orgs/{org}/benchmark', { params: org, query: { dataset: 'pool' } });
  assert.deepEqual([pool.dataset.id, pool.peers, pool.missing], ['pool', 0, 5]);

  const exported = await admin.request('get', '/api/benchmarks/export.csv');
  assert.match(exported, /^organization,industry,size_band,region,assessed_on,model_id,stage,overall,/);
  assert.equal(exported.trim().split('\n').length, 2); // the header and the one closed cycle
});

test('customer-ratings datasets: import, list, place', async () => {
  assert.deepEqual((await admin.request('get', '/api/ratings')).datasets, []);
  let csv = 'company,industry,year,metric,value,respondents\n';
  for (let i = 0; i < 6; i++) csv += `Insurer ${i},Insurance,2025,nps,${10 * i},${100 + i}\n`;
  const meta = { name: 'Contract ratings', source: 'contract test', licence: 'CC0-1.0', synthetic: true };
  const bad = await admin.request('post', '/api/ratings', { body: { ...meta, csv: csv.replace(',50,', ',150,') }, expect: 422 });
  assert.equal(bad.error.message, 'csv: line 7, column 5: value 150 is outside the scale of nps (-100 to 100); nothing was imported');
  const rows = [0, 1, 2, 3, 4].map((i) => ({
    company: `Insurer ${i}`, industry: 'Insurance', year: 2026, metric: 'stars', name: 'Review stars', scale_min: 1, scale_max: 5, value: 1 + i, respondents: null,
  }));
  const badJson = await admin.request('post', '/api/ratings', {
    body: { dataset: { metadata: meta, rows: rows.map((r, i) => (i === 1 ? { ...r, year: '2026' } : r)) } },
    expect: 422,
  });
  assert.equal(badJson.error.message, 'dataset: row 2, field year: must be a whole number (a year as YYYY); nothing was imported');
  const fromJson = await admin.request('post', '/api/ratings', { body: { dataset: { metadata: meta, rows } }, expect: 201 });
  assert.deepEqual([fromJson.ratings, fromJson.metrics, fromJson.synthetic], [5, ['stars'], true]);
  const dataset = await admin.request('post', '/api/ratings', { body: { ...meta, published_on: '2026-01-31', csv }, expect: 201 });
  assert.equal((await admin.request('get', '/api/ratings')).datasets[0].id, dataset.id);

  const org = { org: s.org.id };
  const placed = await admin.request('get', '/api/orgs/{org}/ratings', { params: org, query: { dataset: dataset.id } });
  assert.deepEqual([placed.dataset.date, placed.dataset.synthetic, placed.industry], ['2026-01-31', true, 'Insurance']);
  const [nps] = placed.positions;
  assert.deepEqual([nps.metric, nps.year, nps.peers, nps.median, nps.own, nps.percentile], ['nps', 2025, 6, 25, null, null]);
  assert.match(nps.reason, /no whole-organization Net Promoter Score figure for 2025/);
  const stars = await admin.request('get', '/api/orgs/{org}/ratings', { params: org, query: { dataset: fromJson.id } });
  assert.deepEqual([stars.positions[0].scale, stars.positions[0].peers], [{ min: 1, max: 5 }, 5]);
  await admin.request('get', '/api/orgs/{org}/ratings', { params: org, query: { dataset: 'nope' }, expect: 404 });
  await admin.request('get', '/api/orgs/{org}/ratings', { params: org, expect: 422 });
});

test('changing the password', async () => {
  const change = (current_password, new_password, expect) =>
    admin.request('put', '/api/session/password', { body: { current_password, new_password }, expect });
  await change('a long password', '          ', 422); // only spaces
  await change('a long password', 'password1234', 422); // too common
  await change('not the password', 'a longer passphrase', 403);
  await change('a long password', 'a longer passphrase', 200);
  await change('a longer passphrase', 'a long password', 200); // the new session works
});

test("the user's language for the pages", async () => {
  const choose = (lang, expect) => admin.request('put', '/api/session/language', { body: { lang }, expect });
  assert.equal((await admin.request('get', '/api/session')).lang, '');
  assert.deepEqual(await choose('de', 200), { lang: 'de' });
  assert.equal((await admin.request('get', '/api/session')).lang, 'de');
  await choose('fr', 422);
  await choose('', 200);
  assert.equal((await admin.request('get', '/api/session')).lang, '');
});

// A pulse asks the pulse form only, and its report claims no stage; a
// model without a pulse form cannot run as one.
test('a pulse cycle: questionnaire, answers and a report without a stage', async () => {
  const org = { org: s.org.id };
  const old = readFileSync(new URL('../../tests/data/cx-maturity-1.0.0.yaml', import.meta.url), 'utf8');
  await admin.request('post', '/api/orgs/{org}/cycles', {
    params: org,
    body: { name: 'Pulse of an old model', model_yaml: old, pulse: true },
    expect: 422,
  });
  const pulse = await admin.request('post', '/api/orgs/{org}/cycles', {
    params: org,
    body: { name: 'Autumn pulse', pulse: true, min_group_size: 3 },
    expect: 201,
  });
  assert.equal(pulse.pulse, true);
  const cycle = { cycle: pulse.id };
  const links = (await admin.request('post', '/api/cycles/{cycle}/invitations', { params: cycle, body: { count: 3, role: 'manager' }, expect: 201 }))
    .invitations;
  await admin.request('post', '/api/cycles/{cycle}/open', { params: cycle });
  for (const [i, link] of links.entries()) {
    const browser = new ContractClient(server.url, contract); // the participant's own
    const q = await browser.request('get', '/api/r/{token}', { params: { token: link.token } });
    assert.equal(q.cycle.pulse, true);
    assert.equal(q.items.length, 14);
    assert.equal(q.estimated_minutes, 2);
    assert.ok(q.introduction.includes('last six months'));
    await browser.request('post', '/api/r/{token}/claim', { params: { token: link.token }, body: {} });
    // A statement outside the pulse form is not part of this questionnaire.
    await browser.request('put', '/api/r/{token}/answers', { params: { token: link.token }, body: { answers: { LS2b: 4 } }, expect: 422 });
    const answers = Object.fromEntries(q.items.map((item, k) => [item.id, 2 + ((i + k) % 3)]));
    await browser.request('put', '/api/r/{token}/answers', { params: { token: link.token }, body: { answers } });
    await browser.request('post', '/api/r/{token}/submit', { params: { token: link.token } });
  }
  await admin.request('post', '/api/cycles/{cycle}/close', { params: cycle }); // anonymous: results once closed
  const report = await admin.request('get', '/api/cycles/{cycle}/report', { params: cycle });
  assert.equal(report.form, 'pulse');
  assert.equal(report.stage, null);
  assert.equal(report.next_stage, null);
  assert.deepEqual([report.stages, report.next_stage_gaps], [[], []]);
  assert.equal(report.items.length, 14);
  assert.ok(report.competencies.every((c) => c.stage === null && typeof c.rwg_j === 'number'));
  assert.match(report.note, /only the 14 pulse statements/);
});

test('importing a survey export: preview, problems, import, refusals', async () => {
  const made = await admin.request('post', '/api/orgs/{org}/cycles', {
    params: { org: s.org.id },
    body: { name: 'Imported', anonymous: false },
    expect: 201,
  });
  const cycle = { cycle: made.id };
  const csv = (text) => Buffer.from(text).toString('base64');
  const good = csv('Response ID,Finished,"1. How true? - ' + s.itemTexts[0] + '"\nr1,Yes,Agree\nr2,No,\nr3,Yes,Don\'t know\n');
  const body = (extra) => ({ file_name: 'formbricks.csv', mapping: 'formbricks', csv_base64: good, ...extra });
  // A draft takes no import, but says what it would do.
  const draft = await admin.request('post', '/api/cycles/{cycle}/imports', { params: cycle, body: body({ preview: true }) });
  assert.equal(draft.ok, false);
  assert.equal(draft.preview.respondents, 2);
  await admin.request('post', '/api/cycles/{cycle}/imports', { params: cycle, body: body({ preview: false }), expect: 409 });
  await admin.request('post', '/api/cycles/{cycle}/open', { params: cycle });
  const bad = await admin.request('post', '/api/cycles/{cycle}/imports', {
    params: cycle,
    body: body({ preview: true, csv_base64: csv('Response ID,Finished,"1. How true? - ' + s.itemTexts[0] + '"\nr1,Yes,Sort of\n') }),
  });
  assert.deepEqual([bad.ok, bad.problems[0].row, bad.problems[0].column], [false, 2, 3]);
  await admin.request('post', '/api/cycles/{cycle}/imports', {
    params: cycle,
    body: body({ preview: false, csv_base64: csv('Response ID\n') }),
    expect: 422,
  });
  await admin.request('post', '/api/cycles/{cycle}/imports', { params: cycle, body: body({ mapping: 'nope' }), expect: 422 });
  const created = await admin.request('post', '/api/cycles/{cycle}/imports', { params: cycle, body: body({ preview: false }), expect: 201 });
  assert.equal(created.import.respondents, 2);
  await admin.request('post', '/api/cycles/{cycle}/imports', { params: cycle, body: body({ preview: false }), expect: 422 });
  const listed = await admin.request('get', '/api/cycles/{cycle}/imports', { params: cycle });
  assert.equal(listed.imports.length, 1);
  const people = (await admin.request('get', '/api/cycles/{cycle}/invitations', { params: cycle })).invitations;
  assert.deepEqual(people.map((p) => p.imported_from), ['formbricks.csv', 'formbricks.csv']);
});

// A live workshop: start, join by code from three phones, answer, the
// reveal rule, pacing, the second round and back, live states, the end.
test('a live workshop: join, answer, reveal, second round, end', async () => {
  const org = { org: s.org.id };
  const created = await admin.request('post', '/api/orgs/{org}/cycles', { params: org, body: { name: 'Workshop day', min_group_size: 3 }, expect: 201 });
  const cycle = { cycle: created.id };
  await admin.request('post', '/api/cycles/{cycle}/open', { params: cycle });
  const started = await admin.request('post', '/api/cycles/{cycle}/workshops', { params: cycle, body: { pace: 'competency' }, expect: 201 });
  assert.match(started.code, /^[A-Z2-9]{6}$/);
  await admin.request('post', '/api/cycles/{cycle}/workshops', { params: cycle, body: {}, expect: 409 });
  assert.equal((await admin.request('get', '/api/cycles/{cycle}/workshop', { params: cycle })).workshop.id, started.id);
  const workshop = { workshop: started.id };
  await admin.request('get', '/api/workshops/{workshop}', { params: workshop });
  const projector = await admin.firstEvent('/api/workshops/{workshop}/events', { params: workshop, dataSchema: 'WorkshopState' });
  assert.equal(projector.event, 'workshop');

  const phones = [];
  for (let i = 0; i < 3; i++) {
    const phone = new ContractClient(server.url, contract);
    const joined = await phone.request('post', '/api/join', { body: { code: started.code.toLowerCase() } });
    phones.push({ client: phone, token: { token: joined.token } });
  }
  await phones[0].client.request('post', '/api/join', { body: { code: 'ZZZZZZ' }, expect: 422 });
  const seat = await phones[0].client.request('get', '/api/r/{token}/workshop', { params: phones[0].token });
  const items = seat.current.map((c) => c.id);
  assert.ok(items.length > 1, 'a competency a step');
  const room = await phones[0].client.firstEvent('/api/r/{token}/workshop/events', { params: phones[0].token, dataSchema: 'WorkshopRoom' });
  assert.equal(room.event, 'room');
  const answer = (i, round, answers, expect = 200) =>
    phones[i].client.request('put', '/api/r/{token}/workshop/answers', { params: phones[i].token, body: { round, answers }, expect });
  await answer(0, 1, { [items[0]]: 1 });
  await answer(1, 1, { [items[0]]: 5 });
  await admin.request('post', '/api/workshops/{workshop}/reveal', { params: workshop, body: { round: 1, item: items[0] }, expect: 409 });
  await answer(2, 1, { [items[0]]: 5, [items[1]]: 3 });
  const shown = await admin.request('post', '/api/workshops/{workshop}/reveal', { params: workshop, body: { round: 1, item: items[0] } });
  assert.deepEqual(shown.current[0].figures.histogram, [1, 0, 0, 0, 2]);
  await answer(0, 1, { [items[0]]: 3 }, 409);
  await answer(0, 1, { [items[0]]: 9 }, 422);
  await admin.request('post', '/api/workshops/{workshop}/step', { params: workshop, body: { round: 1, step: 1 } });
  await admin.request('post', '/api/workshops/{workshop}/step', { params: workshop, body: { round: 1, step: 999 }, expect: 409 });
  const second = await admin.request('post', '/api/workshops/{workshop}/second-round', { params: workshop });
  assert.equal(second.round, 2);
  for (const [i, value] of [4, 4, 5].entries()) await answer(i, 2, { [items[0]]: value });
  const after = await admin.request('post', '/api/workshops/{workshop}/reveal', { params: workshop, body: { round: 2, item: items[0] } });
  assert.equal(after.current[0].comparison.verdict, 'converged');
  // Back to round 1 (issue 23), and what moved after talking in the discussion.
  const back = await admin.request('post', '/api/workshops/{workshop}/first-round', { params: workshop });
  assert.equal(back.round, 1);
  await admin.request('post', '/api/workshops/{workshop}/first-round', { params: workshop, expect: 409 });
  const discussion = await admin.request('get', '/api/cycles/{cycle}/discussion', { params: cycle });
  assert.equal(discussion.workshop_rounds.length, 1);
  assert.equal(discussion.workshop_rounds[0].verdict, 'converged');
  const ended = await admin.request('post', '/api/workshops/{workshop}/end', { params: workshop });
  assert.equal(ended.status, 'ended');
  await phones[0].client.request('post', '/api/join', { body: { code: started.code }, expect: 422 });
});

test('invitations by e-mail, reminders, the outbox and the mail settings', async () => {
  const made = await admin.request('post', '/api/orgs/{org}/cycles', {
    params: { org: s.org.id },
    body: { name: 'Mailed', anonymous: false, closes_at: Date.now() + 10 * 86400000 },
    expect: 201,
  });
  const cycle = { cycle: made.id };
  const schedule = await admin.request('patch', '/api/cycles/{cycle}', {
    params: cycle,
    body: { reminders: { after_days: [7, 3], before_close_days: [1], max: 2 } },
  });
  assert.deepEqual(schedule.reminders, { after_days: [3, 7], before_close_days: [1], max: 2 });
  await admin.request('patch', '/api/cycles/{cycle}', { params: cycle, body: { reminders: { after_days: [0] } }, expect: 422 });
  await admin.request('post', '/api/cycles/{cycle}/open', { params: cycle });
  const invite = (body, expect = 201) => admin.request('post', '/api/cycles/{cycle}/invitations', { params: cycle, body, expect });
  const mailed = await invite({
    people: [
      { name: 'Ada Byron', email: 'ada@example.org', role: 'executive', unit: 'Sales' },
      { name: 'Bo Chen', email: 'bo@example.org', role: 'Frontline employee' },
    ],
    send: true,
  });
  assert.equal(mailed.queued, 2);
  assert.ok(mailed.invitations.every((i) => i.token === undefined && i.invitation === 'queued'));
  await invite({ csv: 'name,email\nCy,not an address\n' }, 422);
  await invite({ people: [{ name: 'Ada again', email: 'ADA@example.org' }] }, 409);
  const kept = await invite({ csv: 'Name;E-mail\nCy Dee;cy@example.org\n' });
  assert.equal(kept.queued, 0);
  assert.equal((await admin.request('post', '/api/cycles/{cycle}/invitations/send', { params: cycle })).queued, 1);
  // The sender works on its own thread: wait for the three invitations.
  for (let i = 0; i < 100 && sink.messages().length < 3; ++i) await new Promise((r) => setTimeout(r, 100));
  assert.equal(sink.messages().length, 3);
  const reminded = await admin.request('post', '/api/cycles/{cycle}/reminders', { params: cycle });
  assert.equal(reminded.queued, 3);
  for (let i = 0; i < 100 && sink.messages().length < 6; ++i) await new Promise((r) => setTimeout(r, 100));
  const box = await admin.request('get', '/api/cycles/{cycle}/outbox', { params: cycle });
  assert.equal(box.mail_configured, true);
  assert.equal(box.invitations.sent, 3);
  assert.equal(box.messages.length, 6); // a named cycle lists every message
  const listed = (await admin.request('get', '/api/cycles/{cycle}/invitations', { params: cycle })).invitations;
  assert.deepEqual(listed.map((i) => i.email).sort(), ['ada@example.org', 'bo@example.org', 'cy@example.org']);
  assert.ok(listed.every((i) => i.submitted === false && i.invitation === 'sent'));

  const settings = await admin.request('get', '/api/admin/mail');
  assert.deepEqual([settings.configured, settings.security, settings.from, settings.public_url, settings.password_set], [true, 'none', 'cxm@example.com', 'https://cxm.example.com', false]);
  await admin.request('post', '/api/admin/mail/test', { body: { to: 'not an address' }, expect: 422 });
  const tested = await admin.request('post', '/api/admin/mail/test', { body: { to: 'admin@example.org' } });
  assert.equal(tested.sent, true);
  assert.equal(sink.messages().at(-1).to, 'admin@example.org');
  await admin.request('post', '/api/cycles/{cycle}/close', { params: cycle });
  await admin.request('post', '/api/cycles/{cycle}/reminders', { params: cycle, expect: 409 });
});

test('log-out, and log-in with the rate limit', async () => {
  await admin.request('delete', '/api/session', { expect: 204 });
  await admin.request('get', '/api/orgs', { expect: 401 });
  await admin.request('delete', '/api/session', { expect: 401 });
  const login = (password, expect) =>
    admin.request('post', '/api/session', { body: { email: 'lead@example.com', password }, expect });
  await admin.request('post', '/api/session', { body: { email: 'not an address', password: 'x' }, expect: 422 });
  const session = await login('a long password', 200);
  assert.equal(session.user.email, 'lead@example.com');
  // Failed attempts are counted per account and per address; soon even the
  // right password is refused.
  for (let i = 0; i < 10 && admin.status !== 429; i++) await login('wrong password', [401, 429]);
  assert.equal(admin.status, 429);
  await login('a long password', 429);
});

// Comments: the questionnaire asks them, answers carry them, and the
// cycle's comments (after a release, from k commenters) can be hidden.
test('comments: asked, saved with the answers, shown after a release, hidden with a reason', async () => {
  const model = readFileSync(new URL('../../tests/data/comments-model.yaml', import.meta.url), 'utf8');
  const made = await admin.request('post', '/api/orgs/{org}/cycles', {
    params: { org: s.org.id },
    body: { name: 'With comments', model_yaml: model, min_group_size: 3 },
    expect: 201,
  });
  const cycle = { cycle: made.id };
  const links = (await admin.request('post', '/api/cycles/{cycle}/invitations', { params: cycle, body: { count: 3, role: 'manager' }, expect: 201 }))
    .invitations;
  await admin.request('post', '/api/cycles/{cycle}/open', { params: cycle });
  for (const [i, link] of links.entries()) {
    const browser = new ContractClient(server.url, contract);
    const params = { token: link.token };
    const q = await browser.request('get', '/api/r/{token}', { params });
    assert.equal(q.competencies[0].comment, 'What would help our leaders most?');
    assert.equal(q.competencies[2].comment, null);
    await browser.request('post', '/api/r/{token}/claim', { params, body: {} });
    await browser.request('put', '/api/r/{token}/answers', { params, body: { comments: { ops: 'x' } }, expect: 422 });
    await browser.request('put', '/api/r/{token}/answers', { params, body: { answers: { L2: 3 + (i % 2) }, comments: { lead: `Comment ${i}` } } });
    const own = await browser.request('get', '/api/r/{token}', { params });
    assert.deepEqual(own.comments, { lead: `Comment ${i}` });
    await browser.request('post', '/api/r/{token}/submit', { params });
  }
  const before = await admin.request('get', '/api/cycles/{cycle}/comments', { params: cycle });
  assert.ok(before.withheld);
  await admin.request('post', '/api/cycles/{cycle}/close', { params: cycle });
  const shown = await admin.request('get', '/api/cycles/{cycle}/comments', { params: cycle });
  const lead = shown.competencies.find((c) => c.id === 'lead');
  assert.equal(lead.comments.length, 3);
  assert.ok(shown.competencies.find((c) => c.id === 'data').withheld);
  const report = await admin.request('get', '/api/cycles/{cycle}/report', { params: cycle });
  assert.equal(report.comments[0].texts.length, 3);
  const hidden = await admin.request('post', '/api/cycles/{cycle}/comments/{comment}/hide', {
    params: { ...cycle, comment: lead.comments[0].id },
    body: { reason: 'names a colleague' },
  });
  assert.equal(hidden.hidden, true);
  await admin.request('post', '/api/cycles/{cycle}/comments/{comment}/hide', {
    params: { ...cycle, comment: lead.comments[0].id },
    body: { reason: 'again' },
    expect: 409,
  });
});

test('customer metrics: import as CSV and as rows, refusals by row, list, delete', async () => {
  const org = { org: s.org.id };
  assert.deepEqual(await admin.request('get', '/api/orgs/{org}/customer-metrics', { params: org }), { metrics: [] });
  const csv =
    'period,unit,metric,value,respondents,source,name,definition,scale_min,scale_max\n' +
    '2026-01,,nps,12,400,Quarterly NPS survey,,,,\n' +
    '2026-01,Sales,nps,18,120,Quarterly NPS survey,,,,\n' +
    '2026-02-15,,stars,4.2,900,Shop reviews,Shop stars,Mean stars of the reviews that month,1,5\n';
  const imported = await admin.request('post', '/api/orgs/{org}/customer-metrics', { params: org, body: { csv } });
  assert.equal(imported.added, 3);
  assert.equal(imported.replaced, 0);
  assert.deepEqual(imported.metrics.map((m) => m.metric), ['nps', 'stars']);
  const again = await admin.request('post', '/api/orgs/{org}/customer-metrics', {
    params: org,
    body: { rows: [{ period: '2026-01', unit: null, metric: 'nps', value: 14, respondents: 410, source: 'Quarterly NPS survey' }] },
  });
  assert.equal(again.replaced, 1);
  const refused = await admin.request('post', '/api/orgs/{org}/customer-metrics', {
    params: org,
    body: { rows: [{ period: '2026-03', unit: 'Billing', metric: 'csat', value: 80, respondents: 50, source: 'Survey' }] },
    expect: 422,
  });
  assert.match(refused.error.message, /^row 1, field unit: 'Billing' is not one of the organization's units/);
  await admin.request('post', '/api/orgs/{org}/customer-metrics', { params: org, body: { csv: '' }, expect: 422 });
  const listed = await admin.request('get', '/api/orgs/{org}/customer-metrics', { params: org });
  assert.equal(listed.metrics[0].series[0].value, 14);
  assert.equal(listed.metrics[0].series[1].unit, 'Sales');
  assert.deepEqual(await admin.request('delete', '/api/orgs/{org}/customer-metrics/{metric}', { params: { ...org, metric: 'stars' } }), {
    deleted: 1,
  });
  await admin.request('delete', '/api/orgs/{org}/customer-metrics/{metric}', { params: { ...org, metric: 'stars' }, expect: 404 });
});

test('every operation of the document was seen succeeding', () => {
  assert.deepEqual(contract.unexercised(), []);
});
