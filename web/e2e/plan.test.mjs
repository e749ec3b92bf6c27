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
  // A byte-order mark first, so that Excel reads accented names as UTF-8.
  assert.match(csv, /^\uFEFFid,title,status,owner,due,/);
  assert.ok(csv.includes('Sam Rivera') && csv.includes('2020-03-31'));
  const [icsDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /calendar/ }).click(),
  ]);
  assert.match(icsDownload.suggestedFilename(), /\.ics$/);
  const ics = readFileSync(await icsDownload.path(), 'utf8');
  // An all-day event per dated action (what Outlook and Google Calendar
  // show), and a to-do per action, dated or not (what task apps show).
  const all = (await admin.call('GET', `/api/orgs/${org.id}/actions`)).actions;
  const dated = all.filter((a) => a.due).length;
  assert.equal((ics.match(/BEGIN:VEVENT/g) ?? []).length, dated);
  assert.equal((ics.match(/BEGIN:VTODO/g) ?? []).length, all.length);
  assert.ok(ics.includes('DTSTART;VALUE=DATE:20200331\r\nDTEND;VALUE=DATE:20200401\r\n'));
  assert.ok(ics.includes('DUE;VALUE=DATE:20200331\r\n'));
  assert.ok(ics.includes('STATUS:IN-PROCESS\r\n'));
  assert.ok(ics.includes('METHOD:PUBLISH\r\n'));
  // Unfolded, an event's description names the owner, status and competency (its name, not its id).
  const unfolded = ics.replace(/\r\n /g, '');
  assert.ok(unfolded.includes('Status: In progress\\n\\nCompetency: Operations & process design'), unfolded);
  // The page says how many actions the calendar leaves out.
  const undated = all.length - dated;
  if (undated > 0) {
    await page.getByText(new RegExp(`^${undated} actions? ha(s|ve) no due date`)).waitFor();
    assert.ok(ics.includes(`X-WR-CALDESC:${undated} action`));
  }
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
  // The demo has three cycles: the change shown is between the last two.
  assert.equal(progress.cycles.length, 3);
  const [earliest, first, second] = progress.cycles;
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/orgs/${org.id}`);
  await page.getByRole('link', { name: 'Progress' }).click();
  await page.getByRole('heading', { name: 'Stage timeline' }).waitFor();
  const timeline = page.locator('.timeline li');
  assert.equal(await timeline.count(), 3);
  assert.match(await timeline.nth(2).textContent(), new RegExp(`Stage ${second.stage}`));
  assert.match(await timeline.nth(2).textContent(), /n = 40 · 100% responded/);
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
    assert.deepEqual(cells.slice(1, 3), [String(Math.round(before)), String(Math.round(after))], c.name);
    const sign = c.change > 0 ? '+' : '';
    assert.ok(cells[4].startsWith(`${sign}${c.change.toFixed(1)} ${c.verdict}`), `${c.name}: ${cells[4]}`);
    assert.ok(cells[4].includes(`95% CI ${c.ci_low.toFixed(1)} to ${c.ci_high.toFixed(1)}`), c.name);
  }
  const label = await page.locator('svg[role="img"][aria-label^="Overall:"]').getAttribute('aria-label');
  assert.equal(
    label,
    `Overall: ${[earliest, first, second].map((c) => `${c.name} ${Math.round(c.overall_score)}`).join(', ')}`,
  );
  // A real trend on first run: each demo cycle above the one before.
  assert.ok(earliest.overall_score < first.overall_score && first.overall_score < second.overall_score);
  // The demo plan was worked on: some done, some in progress, one dropped.
  // The counts say what they count: every action on the board, the dropped ones apart.
  const a = progress.actions;
  const total = a.planned + a.in_progress + a.done + a.dropped;
  await page.getByText(`${a.done} of ${total - a.dropped} done`).waitFor();
  await page
    .getByText(`${total} actions on the plan: ${a.done} done, ${a.in_progress} in progress, ${a.planned} planned; ${a.dropped} dropped, not counted.`)
    .waitFor();
  // Sparklines carry their first and last values.
  const overall = page.locator('.spark', { has: page.locator('svg[aria-label^="Overall:"]') });
  assert.equal(await overall.locator('.ends').textContent(), `${Math.round(earliest.overall_score)} → ${Math.round(second.overall_score)}`);
  await assertAccessible(page, 'the progress page');
  await screenshot(page, 'progress-desktop');
  page.assertClean();
  await page.context().close();
});

test('the organizations page: latest stage, last cycle and when the next is due, overdue highlighted', async () => {
  const [card] = (await admin.call('GET', '/api/orgs')).organizations;
  const o = card.overview;
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/`);
  const item = page.locator('li.org-card', { hasText: org.name });
  await item.getByRole('link', { name: `Stage ${o.latest_result.stage}: ${o.latest_result.stage_name}` }).waitFor();
  await item.getByRole('link', { name: o.last_closed.name }).waitFor();
  assert.match(await item.textContent(), /250–999 employees · 4 units/);
  assert.doesNotMatch(await item.textContent(), /employees employees/);
  assert.equal(await item.locator('.overdue').count(), 0);
  await screenshot(page, 'organizations-home-desktop');
  await assertAccessible(page, 'the organizations page');

  // One month between cycles: the demo's last close was a month ago.
  await page.goto(`${server.url}/orgs/${org.id}`);
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Months between cycles').fill('1');
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.getByText('1 month after the last one closes').waitFor();
  await page.goto(`${server.url}/`);
  await item.getByText('Overdue').waitFor();
  assert.equal(await item.locator('.overdue').count(), 1);
  await screenshot(page, 'organizations-overdue-desktop');
  await assertAccessible(page, 'the organizations page with an overdue cycle');
  const phone = await signedInPage(browser, server, admin, { viewport: PHONE });
  await phone.goto(`${server.url}/`);
  await phone.locator('li.org-card').getByText('Overdue').waitFor();
  await screenshot(phone, 'organizations-home-phone');
  await admin.call('PATCH', `/api/orgs/${org.id}`, { review_interval_months: 6 });
  page.assertClean();
  phone.assertClean();
  await page.context().close();
  await phone.context().close();
});

test('targets are drawn beside the current stages; a statement out of scope leaves the results', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/orgs/${org.id}`);
  await page.getByRole('heading', { name: 'Targets and scope' }).waitFor();
  const aims = await admin.call('GET', `/api/orgs/${org.id}/aims`);
  const [c1, c2] = aims.model.competencies;
  await page.getByLabel(c1.name, { exact: true }).selectOption('5');
  await page.getByLabel(c2.name, { exact: true }).selectOption('2');
  const item = aims.model.items[0];
  await page.getByLabel('Statement', { exact: true }).selectOption(item.id);
  await page.getByLabel('Why it does not apply').fill('No such team here (demo)');
  await page.getByRole('button', { name: 'Take out of scope' }).click();
  await page.getByRole('button', { name: 'Save targets and scope' }).click();
  await page.getByText('Targets and scope saved').waitFor();
  await assertAccessible(page, 'the organization page with targets and scope');
  await screenshot(page, 'organization-aims-desktop');

  const latest = (await admin.call('GET', `/api/orgs/${org.id}/progress`)).cycles.at(-1);
  const report = await admin.call('GET', `/api/cycles/${latest.id}/report`);
  assert.ok(!report.items.some((i) => i.id === item.id));
  await page.goto(`${server.url}/cycles/${latest.id}/results`);
  const targets = page.locator('section[aria-labelledby="targets-title"]');
  await targets.getByRole('heading', { name: 'Targets' }).waitFor();
  for (const [c, target] of [[c1, 5], [c2, 2]]) {
    const competency = report.competencies.find((k) => k.id === c.id);
    const cells = await targets.locator('tbody tr', { has: page.getByRole('rowheader', { name: c.name, exact: true }) }).locator('td').allTextContents();
    assert.equal(cells[1], String(competency.stage), c.name);
    assert.equal(cells[2], String(target), c.name);
  }
  assert.equal(await targets.locator('rect.target').count(), 2);
  await page.getByRole('heading', { name: 'Out of scope' }).waitFor();
  await page.getByText('No such team here (demo)').waitFor();
  await page.getByText(report.stage_rollup.statement).waitFor();
  await screenshot(page, 'results-targets-desktop');
  await assertAccessible(page, 'the results with targets');

  await page.goto(`${server.url}/orgs/${org.id}/progress`);
  const drawn = page.locator('section[aria-labelledby="targets-title"]');
  await drawn.getByRole('heading', { name: 'Targets' }).waitFor();
  assert.equal(await drawn.locator('rect.target').count(), 2);
  await screenshot(page, 'progress-targets-desktop');
  await admin.call('PUT', `/api/orgs/${org.id}/aims`, { targets: [], out_of_scope: [] });
  page.assertClean();
  await page.context().close();
});

test('repeat a closed cycle: a draft with the same settings and new links shown once', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/cycles/${cycle.id}`);
  await page.getByRole('button', { name: 'Repeat this cycle' }).click();
  await page.getByRole('heading', { name: `${cycle.name} (repeat)` }).waitFor();
  const cycles = (await admin.call('GET', `/api/orgs/${org.id}/cycles`)).cycles;
  const next = cycles.find((c) => c.name === `${cycle.name} (repeat)`);
  assert.equal(next.status, 'draft');
  assert.equal(next.anonymous, cycle.anonymous);
  assert.equal(next.min_group_size, cycle.min_group_size);
  assert.equal(next.pulse, cycle.pulse);
  const links = await admin.call('GET', `/api/cycles/${next.id}/invitations`);
  assert.equal(links.invitations.length, 40);
  // The new links are on the page, once; the old cycle keeps its own.
  await page.getByRole('button', { name: /Copy all/ }).waitFor();
  await screenshot(page, 'cycle-repeated-desktop');
  await assertAccessible(page, 'a repeated cycle with its new links');
  page.assertClean();
  await page.context().close();
});

test("the weakest unit's stage: chosen on the organization page, stated on the results and progress pages", async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/orgs/${org.id}`);
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel("Organization's stage").selectOption('weakest_unit');
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.getByText("The weakest unit's stage (among units with enough respondents)").waitFor();
  const latest = (await admin.call('GET', `/api/orgs/${org.id}/progress`)).cycles.at(-1);
  const report = await admin.call('GET', `/api/cycles/${latest.id}/report`);
  assert.equal(report.stage_rollup.rule, 'weakest_unit');
  assert.equal(latest.stage, report.stage.number);
  assert.ok(report.stage.number <= report.stage_rollup.pooled_stage);
  await page.goto(`${server.url}/cycles/${latest.id}/results`);
  await page.getByRole('heading', { name: `Stage ${report.stage.number} of 6: ${report.stage.name}` }).waitFor();
  await page.getByText(report.stage_rollup.statement).waitFor();
  await page.goto(`${server.url}/orgs/${org.id}/progress`);
  await page.getByText("Each cycle's stage is its weakest unit's").waitFor();
  await screenshot(page, 'progress-weakest-unit-desktop');
  await admin.call('PATCH', `/api/orgs/${org.id}`, { stage_rollup: 'pooled' });
  page.assertClean();
  await page.context().close();
});
