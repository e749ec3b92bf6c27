// Action planning and progress in the browser on the demo organization:
// draft a plan from a cycle's results, keep some actions, edit one (owner,
// due date, status), see it move on the board and stand out as overdue in
// the list, filter by owner, and export the plan as CSV and iCalendar; then
// the progress page with the stage timeline and the change between cycles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ApiClient, DESKTOP, PHONE, assertAccessible, launchBrowser, signedInPage, screenshot, startServer } from './support.mjs';

let server;
let browser;
let admin;
let org;
let cycle;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  [org] = (await admin.call('GET', '/api/orgs')).organizations;
  cycle = (await admin.call('GET', `/api/orgs/${org.id}/cycles`)).cycles.find((c) => c.name.startsWith('Six-month'));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('draft a plan from the results, edit an action, work the board, export', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP, acceptDownloads: true });
  await page.goto(`${server.url}/cycles/${cycle.id}/results`);
  await page.getByRole('heading', { name: /^Stage \d of 6: / }).waitFor();
  await page.getByRole('link', { name: 'Draft a plan' }).click();

  // The draft: the obstacle of the stage first, each proposal with its reason.
  const draft = await admin.call('GET', `/api/cycles/${cycle.id}/plan`);
  await page.getByRole('heading', { name: `Draft plan from ${cycle.name}` }).waitFor();
  const proposals = page.locator('.proposal');
  assert.equal(await proposals.count(), draft.actions.length);
  await page.getByText(draft.actions[0].reason).waitFor();
  await assertAccessible(page, 'the draft plan');
  await screenshot(page, 'plan-draft-desktop');

  // Keep the first two proposals.
  await page.getByRole('button', { name: `Add to plan: ${draft.actions[0].title}` }).click();
  await page.getByRole('button', { name: `Add to plan: ${draft.actions[1].title}` }).click();
  await page.locator('.kept').nth(1).waitFor();
  const planned = page.locator('section[aria-labelledby="column-planned"]');
  await planned.getByRole('heading', { name: draft.actions[1].title }).waitFor();

  // Edit the first: an owner, a due date in the past, in progress.
  await page.getByRole('button', { name: `Edit ${draft.actions[0].title}` }).click();
  await page.getByLabel('Owner', { exact: true }).fill('Sam Rivera');
  await page.getByLabel('Due', { exact: true }).fill('2020-03-31');
  await page.getByLabel('Status', { exact: true }).selectOption('in_progress');
  await page.getByRole('button', { name: 'Save action' }).click();
  const progress = page.locator('section[aria-labelledby="column-in_progress"]');
  const card = progress.locator('article', { hasText: draft.actions[0].title });
  await card.getByText('Overdue').waitFor();
  await card.getByText('Sam Rivera').waitFor();

  // Move the second to done from its card's status menu.
  await page.getByLabel(`Status of ${draft.actions[1].title}`).selectOption('done');
  await page.locator('section[aria-labelledby="column-done"]').getByRole('heading', { name: draft.actions[1].title }).waitFor();
  await screenshot(page, 'plan-board-desktop');
  await assertAccessible(page, 'the plan board');

  // The history says who moved what.
  await page.getByRole('button', { name: `Edit ${draft.actions[0].title}` }).click();
  await page.getByText('History').click();
  await page.getByText('Planned → In progress by Dana Lead').waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // The list by due date, overdue highlighted; the owner filter.
  await page.getByRole('button', { name: 'By due date' }).click();
  const rows = page.locator('tbody tr');
  await rows.first().waitFor();
  assert.match(await rows.first().textContent(), new RegExp(draft.actions[0].title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await page.locator('tr.overdue').count(), 1);
  await page.getByLabel('Filter by owner').selectOption('Sam Rivera');
  await page.waitForURL(/owner=Sam/);
  assert.equal(await rows.count(), 1);
  await screenshot(page, 'plan-list-desktop');

  // Exports.
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
  const csv = readFileSync(await csvDownload.path(), 'utf8');
  assert.match(csv, /^id,title,status,owner,due,/);
  assert.ok(csv.includes('Sam Rivera') && csv.includes('2020-03-31'));
  const [icsDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /calendar/ }).click(),
  ]);
  assert.match(icsDownload.suggestedFilename(), /\.ics$/);
  const ics = readFileSync(await icsDownload.path(), 'utf8');
  assert.equal((ics.match(/BEGIN:VTODO/g) ?? []).length, 1);
  assert.ok(ics.includes('DUE;VALUE=DATE:20200331\r\n'));
  assert.ok(ics.includes('STATUS:IN-PROCESS\r\n'));
  page.assertClean();
  await page.context().close();
});

test('the plan on a phone', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: PHONE });
  await page.goto(`${server.url}/orgs/${org.id}/plan`);
  await page.getByRole('heading', { name: 'Action plan' }).waitFor();
  await page.locator('article.action').first().waitFor();
  await screenshot(page, 'plan-board-phone');
  await assertAccessible(page, 'the plan on a phone');
  page.assertClean();
  await page.context().close();
});

test('progress on the demo data: timeline, trends with n and response rate, change with its interval', async () => {
  const progress = await admin.call('GET', `/api/orgs/${org.id}/progress`);
  const [first, second] = progress.cycles;
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/orgs/${org.id}`);
  await page.getByRole('link', { name: 'Progress' }).click();
  await page.getByRole('heading', { name: 'Stage timeline' }).waitFor();
  const timeline = page.locator('.timeline li');
  assert.equal(await timeline.count(), 2);
  assert.match(await timeline.nth(1).textContent(), new RegExp(`Stage ${second.stage}`));
  assert.match(await timeline.nth(1).textContent(), /n = 40 · 100% responded/);
  // The overall change as the API gives it, with its verdict.
  const change = second.change.overall;
  const shown = `${change.change > 0 ? '+' : ''}${change.change.toFixed(1)} points`;
  await page.getByText(shown).waitFor();
  await page.getByText(`95% CI ${change.ci_low.toFixed(1)} to ${change.ci_high.toFixed(1)}`).first().waitFor();
  // Each competency's row: its score in each cycle, the change (of mean
  // respondent scores) with its verdict and interval.
  for (const c of second.change.competencies) {
    const before = first.competencies.find((k) => k.id === c.id).score;
    const after = second.competencies.find((k) => k.id === c.id).score;
    const cells = await page.locator('tbody tr', { has: page.getByRole('rowheader', { name: c.name, exact: true }) }).locator('td').allTextContents();
    assert.deepEqual(cells.slice(0, 2), [String(Math.round(before)), String(Math.round(after))], c.name);
    const sign = c.change > 0 ? '+' : '';
    assert.ok(cells[3].startsWith(`${sign}${c.change.toFixed(1)} ${c.verdict}`), `${c.name}: ${cells[3]}`);
    assert.ok(cells[3].includes(`95% CI ${c.ci_low.toFixed(1)} to ${c.ci_high.toFixed(1)}`), c.name);
  }
  const label = await page.locator('svg[role="img"][aria-label^="Overall:"]').getAttribute('aria-label');
  assert.equal(label, `Overall: ${first.name} ${Math.round(first.overall_score)}, ${second.name} ${Math.round(second.overall_score)}`);
  await page.getByText('Actions done').waitFor();
  await assertAccessible(page, 'the progress page');
  await screenshot(page, 'progress-desktop');
  page.assertClean();
  await page.context().close();
});
