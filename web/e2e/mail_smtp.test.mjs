// E-mail through a real SMTP server on loopback (tests/smtp_sink.py, on
// Debian's python3-aiosmtpd, keeps each message it takes), as a facilitator and the people
// invited see it: a pasted list sent at once; the outbox fills and empties
// on the page; each person's message carries an absolute link that opens
// the questionnaire, whose welcome page says what happens to the address;
// two answer and submit; a reminder by hand reaches the other two only,
// with the same link; an address the mail server refuses shows as failed
// with the server's answer, in the list and in the outbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, assertAccessible, freePort, launchBrowser, openPage, signedInPage, screenshot, startServer, startSmtpSink } from './support.mjs';

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let sink;
let server;
let browser;
let admin;

// The messages received so far, oldest first: their envelope recipient,
// the message and its text (quoted-printable and base64 parts decoded).
const received = () => sink.messages().map((m) => ({ ...m, text: decoded(m.raw) }));

function decoded(raw) {
  const qp = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  const base64 = [...raw.matchAll(/Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/gi)]
    .map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64').toString('utf8'))
    .join('\n');
  return qp + '\n' + base64;
}

async function waitFor(check, what, timeout = 20000) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  sink = await startSmtpSink(['--refuse', 'nobody@example.org']);
  // The links in the messages start with --public-url: this server's address.
  const port = await freePort();
  server = await startServer({
    port,
    args: [...sink.args, '--public-url', `http://127.0.0.1:${port}`, '--scheduler-interval', '1'],
  });
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

test('invited by e-mail: the message, its link, the welcome page, reminders to those who have not answered', async () => {
  const org = await admin.call('POST', '/api/orgs', { name: 'Helios AG', units: ['Sales', 'Service'] });
  const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Spring 2027 assessment' });
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);

  const page = await signedInPage(browser, server, admin, { viewport: WIDE });
  await page.goto(`${server.url}/cycles/${cycle.id}`);
  await page.getByRole('heading', { name: 'Invite by e-mail' }).waitFor();
  assert.equal(await page.getByTestId('mail-not-configured').count(), 0);
  const people = ['Alex Morgan <alex@example.org>', 'Sam Lee <sam@example.org>', 'kim@example.org', 'Robin Park <robin@example.org>'];
  await page.getByLabel(/^People/).fill(people.join('\n'));
  await page.getByTestId('mail-preview').getByText('4 people to invite').waitFor();
  await page.getByRole('button', { name: 'Send invitations now' }).click();
  await page.getByText('4 people invited: 4 invitations on the way').waitFor();

  // They leave through the scheduler; the page follows the outbox by itself.
  const messages = await waitFor(() => received().length >= 4 && received(), 'four invitations');
  const outbox = page.getByTestId('outbox');
  await outbox.getByRole('row', { name: /^Invitations 0 4 0$/ }).waitFor({ timeout: 20000 });
  const links = page.getByRole('region', { name: 'Participant links' });
  await waitFor(async () => (await links.getByRole('cell', { name: 'Sent', exact: true }).count()) === 4, 'the list to say Sent');

  // One message per person, each with its own absolute link.
  const token = {};
  for (const m of messages) {
    const link = new RegExp(`${server.url.replace(/[.]/g, '\\.')}/r/([0-9a-f]{32})`).exec(m.text);
    assert.ok(link, `an absolute link in the message to ${m.to}`);
    token[m.to] = link[1];
    assert.match(m.raw, /Helios AG/);
  }
  assert.deepEqual(Object.keys(token).sort(), ['alex@example.org', 'kim@example.org', 'robin@example.org', 'sam@example.org']);

  // Alex follows the link: the welcome page says what happens to the address.
  const alex = await openPage(browser, { viewport: PHONE });
  await alex.goto(`${server.url}/r/${token['alex@example.org']}`);
  const note = alex.getByTestId('email-note');
  await note.waitFor();
  assert.match((await note.textContent()).replace(/\s+/g, ' '), /used only to send you this link and reminders\. It is kept apart from your answers and erased when this assessment closes\./);
  await assertAccessible(alex, 'the welcome page of a mailed link');
  await screenshot(alex, 'mail-welcome-phone');
  alex.assertClean();
  await alex.close();

  // Alex and Sam answer and submit; the reminder goes to Kim and Robin only, with the same link.
  await admin.answerAll(token['alex@example.org'], (i) => 1 + (i % 5));
  await admin.answerAll(token['sam@example.org'], (i) => 1 + ((i + 2) % 5));
  await page.getByRole('button', { name: 'Send a reminder now' }).click();
  // An anonymous cycle counts no reminders, and says why.
  await page.getByText(/Reminders requested\. In an anonymous cycle reminders are not counted/).waitFor();
  const all = await waitFor(() => received().length >= 6 && received(), 'two reminders');
  const reminders = all.slice(4);
  assert.deepEqual(reminders.map((m) => m.to).sort(), ['kim@example.org', 'robin@example.org']);
  for (const m of reminders) assert.ok(m.text.includes(`/r/${token[m.to]}`), 'the same link again');
  assert.equal(await outbox.getByRole('row', { name: /^Reminders/ }).count(), 0);
  await outbox.getByTestId('reminders-hidden').waitFor();
  // Again at once: nobody twice within 12 hours.
  await page.getByRole('button', { name: 'Send a reminder now' }).click();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal(received().length, 6);

  // Anonymous: counts, never who has answered.
  assert.equal(await links.getByRole('cell', { name: /Submitted/ }).count(), 0);
  await page.getByText('In an anonymous cycle you see counts, never who has answered').waitFor();
  await assertAccessible(page, 'the cycle page after sending');
  await screenshot(page, 'mail-sent-desktop');
  page.assertClean();
  await page.close();
});

test('an address the mail server refuses: failed, with its answer, in the list and the outbox', async () => {
  const org = await admin.call('POST', '/api/orgs', { name: 'Borealis GmbH' });
  const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Named round', anonymous: false });
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
  const page = await signedInPage(browser, server, admin, { viewport: PHONE });
  await page.goto(`${server.url}/cycles/${cycle.id}`);
  await page.getByLabel(/^People/).fill('Nobody <nobody@example.org>\nJo Ng <jo@example.org>');
  await page.getByRole('button', { name: 'Save the list, send later' }).click();
  await page.getByText('2 people saved on the list').waitFor();
  await page.getByRole('button', { name: 'Send invitations (2 not yet invited)' }).click();
  await page.getByText('2 invitations on the way.').waitFor();

  const failures = page.getByTestId('outbox').getByRole('alert');
  await failures.getByText('1 message not delivered').waitFor({ timeout: 20000 });
  assert.match(await failures.textContent(), /nobody@example\.org/);
  assert.match(await failures.textContent(), /550/);
  const links = page.getByRole('region', { name: 'Participant links' });
  await links.getByRole('cell', { name: /^Failed/ }).waitFor({ timeout: 20000 });
  assert.match(await links.getByRole('cell', { name: /^Failed/ }).textContent(), /550/);
  // A named cycle lists every message.
  await page.getByText('Every message (2)').click();
  await page.getByRole('region', { name: 'Messages' }).getByRole('listitem').filter({ hasText: 'Jo Ng <jo@example.org>' }).getByText('Sent').waitFor();
  await screenshot(page, 'mail-failed-phone');
  page.assertClean();
  await page.close();
});

test('the admin mail page shows the settings, never the password, and sends a test message', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: WIDE });
  await page.goto(`${server.url}/admin/mail`);
  await page.getByText(`smtp://127.0.0.1:${sink.port}`).waitFor();
  await page.getByText('No password', { exact: true }).waitFor();
  assert.equal(await page.locator('input[type=password]').count(), 0);
  // The outbox across cycles: the refused address of the test before failed, with its answer.
  const health = page.getByTestId('outbox-health');
  await health.getByText(/550/).waitFor();
  const before = received().length;
  await page.getByLabel('To').fill('lead@example.org');
  await page.getByRole('button', { name: 'Send a test message' }).click();
  await page.getByText(/^Sent\. The mail server answered:/).waitFor();
  await waitFor(() => received().length > before && received().at(-1).to === 'lead@example.org', 'the test message');
  // Refused: the server's answer (502).
  await page.getByLabel('To').fill('nobody@example.org');
  await page.getByRole('button', { name: 'Send a test message' }).click();
  await page.getByRole('alert').filter({ hasText: /^Not sent\. .*550/ }).waitFor();
  await assertAccessible(page, 'the mail settings with mail');
  await screenshot(page, 'mail-admin-configured-desktop');
  page.assertClean([/status of 502/]);
  await page.close();
});
