// Comments (SPEC sections 2, 4.9): a participant writes one on a phone at
// the end of a section, warned that it may identify them; after the
// anonymous cycle's release it shows on the discussion page among the
// others, without role or unit; the facilitator hides one with a reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, assertAccessible, launchBrowser, openPage, screenshot, signedInPage, startServer } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const modelYaml = readFileSync(join(here, '../../tests/data/comments-model.yaml'), 'utf8');
const PHONE_390 = { width: 390, height: 844 };
const DESKTOP_1440 = { width: 1440, height: 900 };

let server;
let browser;
let admin;
let cycle;
let links;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  const org = await admin.call('POST', '/api/orgs', { name: 'Acme Insurance', units: ['Sales', 'Service'] });
  cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Spring', min_group_size: 3, model_yaml: modelYaml });
  links = (await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, { count: 4, role: 'frontline', unit: 'Service' })).invitations;
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// As another participant's own browser: answers, comments, submits.
async function answerWithComment(token, comments) {
  const own = new ApiClient(server.url);
  await own.call('POST', `/api/r/${token}/claim`, {});
  await own.call('PUT', `/api/r/${token}/answers`, { answers: { L2: 3, L3: 2, D2: 4, D3: 3, O2: 2, O3: 3 }, comments });
  await own.call('POST', `/api/r/${token}/submit`);
}

test('a comment written on a phone shows on the discussion page after the release, and can be hidden', async () => {
  const page = await openPage(browser, { viewport: PHONE_390, isMobile: true, hasTouch: true });
  await page.goto(server.url + links[0].url);
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('button', { name: 'Go to the statements' }).click();
  await page.getByRole('heading', { name: 'Leadership' }).waitFor();
  const groups = page.locator('fieldset');
  for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).getByRole('radio', { name: 'Agree', exact: true }).tap();
  // The section's comment question at its end, optional, with the warning.
  const box = page.getByLabel(/What would help our leaders most\?/);
  await box.waitFor();
  await page.getByText(/What you write may identify you/).waitFor();
  await page.getByText(/only once at least 3 people have commented on this section/).waitFor();
  await box.fill('Leaders should join a support shift every quarter.');
  await box.blur();
  // Saved for this browser (which alone can read it back).
  const own = () => page.evaluate(async (token) => (await (await fetch(`/api/r/${token}`)).json()).comments, links[0].token);
  for (let tries = 0; tries < 50 && !(await own()).lead; tries++) await page.waitForTimeout(100);
  assert.deepEqual(await own(), { lead: 'Leaders should join a support shift every quarter.' });
  await assertAccessible(page, 'a section with its comment question');
  await screenshot(page, 'participant-comment-phone-390');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Data' }).waitFor();
  for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).getByRole('radio', { name: 'Agree', exact: true }).tap();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Operations' }).waitFor();
  assert.equal(await page.locator('[data-testid="comment"]').count(), 0, 'a section without a question asks none');
  for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).getByRole('radio', { name: 'Agree', exact: true }).tap();
  await page.getByRole('button', { name: 'Review and submit' }).click();
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
  page.assertClean();

  await answerWithComment(links[1].token, { lead: 'Bob in Support blocks every change.' });
  await answerWithComment(links[2].token, { lead: 'A clear plan, written down.', data: 'Measure repeat calls.' });
  await answerWithComment(links[3].token, {});
  // Open: nothing is shown, not even on the facilitator's pages.
  const before = await admin.call('GET', `/api/cycles/${cycle.id}/comments`);
  assert.ok(before.withheld);
  assert.ok(!JSON.stringify(before).includes('support shift'));
  await admin.call('POST', `/api/cycles/${cycle.id}/close`);

  const desk = await signedInPage(browser, server, admin, { viewport: DESKTOP_1440 });
  await desk.goto(`${server.url}/cycles/${cycle.id}/discussion`);
  const lead = desk.locator('[data-testid="comments-lead"]');
  await lead.getByText('Leaders should join a support shift every quarter.').waitFor();
  await lead.getByText('Bob in Support blocks every change.').waitFor();
  assert.equal(await lead.locator('.text').count(), 3);
  // Data: one comment, below the group of 3: withheld, with the reason and no count.
  const data = desk.locator('[data-testid="comments-data"]');
  await data.getByText(/fewer than 3 people who answered themselves commented/).waitFor();
  assert.equal(await data.getByText('Measure repeat calls.').count(), 0);
  await assertAccessible(desk, 'the discussion page with comments');
  await screenshot(desk, 'discussion-comments-desktop-1440');

  // Hide the one that names a colleague, with a reason.
  const item = lead.locator('li', { hasText: 'Bob in Support blocks every change.' });
  await item.getByRole('button', { name: 'Hide…' }).click();
  await item.getByLabel('Why hide it?').fill('names a colleague');
  await item.getByRole('button', { name: 'Hide comment' }).click();
  await lead.getByText('Hidden by a facilitator: names a colleague').waitFor();
  assert.equal(await desk.getByText('Bob in Support blocks every change.').count(), 0);
  assert.equal(await lead.locator('.text').count(), 2);
  await screenshot(desk, 'discussion-comment-hidden-desktop-1440');
  desk.assertClean();
});
