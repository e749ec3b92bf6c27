// E-mail invitations and reminders as a facilitator uses them, on a server
// started without mail (no --smtp): the page says so plainly, a pasted
// list is previewed, refused by the server with its line and column named,
// then saved to send later; the list shows each address and that nothing
// was sent; an anonymous cycle shows nobody's own progress; the reminder
// schedule is edited; the response warnings are shown; the admin's mail
// page says mail is not set up. (The end-to-end test against a real SMTP
// server, with the messages read and followed, is mail_smtp.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, assertAccessible, launchBrowser, signedInPage, screenshot, startServer } from './support.mjs';

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const DAY = 24 * 60 * 60 * 1000;

let server;
let browser;
let admin;
let org;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  org = await admin.call('POST', '/api/orgs', { name: 'Acme Insurance', units: ['Sales', 'Service'] });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('invite by pasting a list on a server without mail: previewed, judged by the server, saved to send later', async () => {
  const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, {
    name: 'Spring 2027 assessment',
    closes_at: Date.now() + 10 * DAY,
  });
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
  const page = await signedInPage(browser, server, admin, { viewport: WIDE });
  await page.goto(`${server.url}/cycles/${cycle.id}`);
  await page.getByRole('heading', { name: 'Invite by e-mail' }).waitFor();

  // No mail on this server: said plainly; sending is off, saving is not.
  await page.getByTestId('mail-not-configured').waitFor();
  assert.match(await page.getByTestId('mail-not-configured').textContent(), /This server sends no e-mail yet/);
  assert.ok(await page.getByRole('button', { name: 'Send invitations now' }).isDisabled());
  assert.match(await page.getByTestId('cycle-dates').textContent(), /^Closes itself on /);

  // A list with a bad address: the preview marks it; the server refuses the
  // whole list and names the line (not the server's row) and the column.
  await page.getByLabel(/^People/).fill('Alex Morgan <alex.morgan@example.com>\n\nsam@\nKim Diaz <kim.diaz@example.com>');
  const preview = page.getByTestId('mail-preview');
  await preview.getByText('3 people to invite').waitFor();
  await preview.getByText("'sam@' is not an e-mail address").waitFor();
  await page.getByRole('button', { name: 'Save the list, send later' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'column "email"' });
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /^Line 3 \(sam@\), column "email": 'sam@' is not an e-mail address/);
  assert.equal((await admin.call('GET', `/api/cycles/${cycle.id}/invitations`)).invitations.length, 0, 'all or nothing');

  // Corrected, with a role and a unit for the whole list: saved.
  await page.getByLabel(/^People/).fill('Alex Morgan <alex.morgan@example.com>\n"Lee, Sam" <sam.lee@example.com>; kim.diaz@example.com');
  await page.getByLabel(/^Role for everyone/).selectOption({ label: 'Manager' });
  await page.getByLabel(/^Unit for everyone/).selectOption('Sales');
  await preview.getByText('3 people to invite').waitFor();
  await page.getByRole('button', { name: 'Save the list, send later' }).click();
  await page.getByText('3 people saved on the list. No e-mail has been sent yet').waitFor();
  assert.equal(await page.getByLabel(/^People/).inputValue(), '');

  // The list: each address, nothing sent, and in an anonymous cycle nobody's
  // own progress, with the reason in one line.
  await page.getByText('All links (3)').waitFor();
  const links = page.getByRole('region', { name: 'Participant links' });
  for (const email of ['alex.morgan@example.com', 'sam.lee@example.com', 'kim.diaz@example.com'])
    await links.getByRole('cell', { name: email, exact: true }).waitFor();
  await links.getByRole('cell', { name: 'Lee, Sam', exact: true }).waitFor();
  assert.equal(await links.getByRole('cell', { name: 'Not sent yet', exact: true }).count(), 3);
  assert.equal(await links.getByRole('cell', { name: /Submitted/ }).count(), 0);
  assert.equal(await links.getByRole('cell', { name: 'Manager', exact: true }).count(), 3);
  await page.getByText('In an anonymous cycle you see counts, never who has answered; reminders go to those who have not.').waitFor();
  const saved = await admin.call('GET', `/api/cycles/${cycle.id}/invitations`);
  assert.deepEqual(saved.invitations.map((i) => [i.email, i.invitation, i.submitted, i.role, i.unit]).sort(), [
    ['alex.morgan@example.com', null, null, 'manager', 'Sales'],
    ['kim.diaz@example.com', null, null, 'manager', 'Sales'],
    ['sam.lee@example.com', null, null, 'manager', 'Sales'],
  ]);
  // Sending them waits for mail.
  assert.ok(await page.getByRole('button', { name: 'Send invitations (3 not yet invited)' }).isDisabled());
  assert.ok(await page.getByRole('button', { name: 'Send a reminder now' }).isDisabled());

  // An uploaded CSV file goes to the server as it is: its row and column.
  await page.getByLabel(/^Or upload a CSV file/).setInputFiles({
    name: 'team.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('name,email,role,unit\nRobin Park,robin.park@example.com,Frontline employee,Service\nJo Ng,jo.ng@example.com,Boss,Service\n'),
  });
  await preview.getByText('(CSV with a heading row)').waitFor();
  assert.ok(await page.getByLabel(/^Role for everyone/).isDisabled(), "the file's own column tags its people");
  await page.getByRole('button', { name: 'Save the list, send later' }).click();
  const csvRefusal = page.getByRole('alert').filter({ hasText: 'team.csv' });
  await csvRefusal.waitFor();
  assert.match(await csvRefusal.textContent(), /^team\.csv: row 3, column "role": 'Boss' is not a role/);
  // The same address twice across lists is refused by the server.
  await page.getByLabel(/^People/).fill('name,email\nAlex again,alex.morgan@example.com\n');
  await page.getByRole('button', { name: 'Save the list, send later' }).click();
  await page.getByRole('alert').filter({ hasText: 'already invited to this cycle' }).waitFor();

  // The response rate and the warnings that keep the results from being published.
  await page.getByTestId('response-rate').getByText('0%').waitFor();
  const warnings = page.getByTestId('response-warnings');
  await warnings.waitFor();
  assert.equal(await warnings.getAttribute('role'), 'status');
  assert.match(await warnings.textContent(), /no result can be published yet/);
  assert.match(await warnings.textContent(), /0% of the people invited have submitted/);

  await page.getByLabel(/^People/).fill('');
  await assertAccessible(page, 'the cycle page with an e-mail list');
  await screenshot(page, 'mail-cycle-desktop');
  page.assertClean([/status of 4\d\d/]);
  await page.close();
});

test('the reminder schedule is edited on the cycle page and saved on the cycle', async () => {
  const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Autumn pulse', closes_at: Date.now() + 14 * DAY });
  await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, {
    people: [{ name: 'Alex Morgan', email: 'alex.morgan@example.com' }],
  });
  const page = await signedInPage(browser, server, admin, { viewport: PHONE });
  await page.goto(`${server.url}/cycles/${cycle.id}`);
  const schedule = page.getByTestId('reminder-schedule');
  await schedule.waitFor();
  const before = await schedule.textContent();
  await page.getByRole('button', { name: 'Edit the schedule' }).click();
  await page.getByLabel(/^Days after the invitation/).fill('3, 7');
  await page.getByLabel(/^Days before closing/).fill('1');
  await page.getByLabel('At most, per person').fill('3');
  await page.getByRole('button', { name: 'Save the schedule' }).click();
  await page.getByText('Reminders go out 3 and 7 days after each invitation and 1 day before the cycle closes; at most 3 reminders per person').waitFor();
  assert.notEqual(await schedule.textContent(), before);
  assert.deepEqual((await admin.call('GET', `/api/cycles/${cycle.id}`)).reminders, { after_days: [3, 7], before_close_days: [1], max: 3 });

  // What the server refuses is said in its words.
  await page.getByRole('button', { name: 'Edit the schedule' }).click();
  await page.getByLabel(/^Days after the invitation/).fill('3, 700');
  await page.getByRole('button', { name: 'Save the schedule' }).click();
  await page.getByRole('alert').filter({ hasText: 'reminders.after_days' }).waitFor();
  await page.getByLabel(/^Days after the invitation/).fill('soon');
  await page.getByRole('button', { name: 'Save the schedule' }).click();
  await page.getByRole('alert').filter({ hasText: 'Write whole numbers of days' }).waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // A draft with an e-mail list: what happens when it opens, and its dates.
  await page.getByText('Invitations waiting in the outbox go out when the cycle opens').waitFor();
  await assertAccessible(page, 'the cycle page on a phone');
  await screenshot(page, 'mail-cycle-phone');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'nothing widens the page on a phone');
  page.assertClean([/status of 4\d\d/]);
  await page.close();
});

test("an open cycle's closing date moves later from its page", async () => {
  const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Extended', closes_at: Date.now() + 2 * DAY });
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
  const page = await signedInPage(browser, server, admin);
  await page.goto(`${server.url}/cycles/${cycle.id}`);
  const later = new Date(Date.now() + 10 * DAY);
  const day = `${later.getFullYear()}-${String(later.getMonth() + 1).padStart(2, '0')}-${String(later.getDate()).padStart(2, '0')}`;
  await page.getByLabel('Closes at the end of').fill(day);
  await page.getByRole('button', { name: 'Move the closing date' }).click();
  const end = new Date(`${day}T23:59:59`).getTime();
  for (let i = 0; i < 50 && (await admin.call('GET', `/api/cycles/${cycle.id}`)).closes_at !== end; ++i) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await admin.call('GET', `/api/cycles/${cycle.id}`)).closes_at, end);
  // A day already past is refused in the server's words.
  await page.getByLabel('Closes at the end of').fill('2020-01-01');
  await page.getByRole('button', { name: 'Move the closing date' }).click();
  await page.getByRole('alert').filter({ hasText: 'closes_at: must be in the future' }).waitFor();
  await assertAccessible(page, 'the open cycle with its closing date');
  page.assertClean([/status of 4\d\d/]);
  await page.close();
});

test('a named cycle shows who has answered', async () => {
  const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Named round', anonymous: false });
  await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, {
    people: [{ name: 'Alex Morgan', email: 'alex.morgan@example.com' }],
  });
  const page = await signedInPage(browser, server, admin, { viewport: WIDE });
  await page.goto(`${server.url}/cycles/${cycle.id}`);
  const links = page.getByRole('region', { name: 'Participant links' });
  await links.getByRole('cell', { name: 'alex.morgan@example.com', exact: true }).waitFor();
  await links.getByRole('cell', { name: 'Not submitted', exact: true }).waitFor();
  assert.equal(await page.getByText('In an anonymous cycle you see counts').count(), 0);
  page.assertClean();
  await page.close();
});

test("the admin's mail page says mail is not set up, and shows no password field", async () => {
  for (const [viewport, name] of [
    [WIDE, 'desktop'],
    [PHONE, 'phone'],
  ]) {
    const page = await signedInPage(browser, server, admin, { viewport });
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: /^Mail/ }).click();
    await page.getByRole('heading', { name: 'Mail settings', level: 1 }).waitFor();
    await page.getByTestId('mail-off').getByText('Mail is not set up.').waitFor();
    await page.getByText('No password', { exact: true }).waitFor();
    assert.equal(await page.locator('input[type=password]').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Send a test message' }).count(), 0);
    await assertAccessible(page, 'the mail settings');
    await screenshot(page, `mail-admin-${name}`);
    page.assertClean();
    await page.close();
  }

});
