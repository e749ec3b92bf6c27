// Scores that do not mislead (issue 24): a stage resting on too few
// answers says so ("too few answers to be sure"), a statement worded in
// reverse is scored reversed and says so, and the silo score is shown for
// everyone and for each shown unit, with what it means. A small model of
// its own (two competencies, silo statements, one reversed) so that the
// figures below are worked out by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, DESKTOP, PHONE, assertAccessible, launchBrowser, signedInPage, screenshot, startServer } from './support.mjs';

const MODEL = `id: silo-check
version: "1"
title: Silo check
scale:
  min: 1
  max: 5
  labels: [Strongly disagree, Disagree, Neither, Agree, Strongly agree]
  dont_know: Don't know
threshold: 60
roles:
  - {id: frontline, name: Frontline}
stages:
  - {number: 1, id: ignore, name: Ignore, description: Nobody looks yet., obstacle: Nobody sees why.}
  - {number: 2, id: explore, name: Explore, description: Some look., obstacle: Leaders disagree.}
  - {number: 3, id: mobilize, name: Mobilize, description: Work starts., obstacle: Other work wins.}
competencies:
  - {id: lead, name: Leadership}
  - {id: ops, name: Operations}
items:
  - {id: L2, competency: lead, stage: 2, text: Our leaders talk about customers.}
  - {id: L3, competency: lead, stage: 3, themes: [silo], text: When a problem needs several departments customers do not have to chase us.}
  - {id: O2, competency: ops, stage: 2, themes: [silo], reverse: true, text: Our department's targets sometimes push us against what customers need.}
  - {id: O3, competency: ops, stage: 3, text: We fix the causes of complaints.}
  - {id: O3b, competency: ops, stage: 3, text: We redesign journeys with customers.}
`;

// Sales (3): L2 4, L3 4, O2 2 (scored as 4), O3 and O3b don't know.
// Service (3): L2 5, L3 2, O2 1 (scored as 5); two answer O3 with 5.
// Minimum group 3: O3 (2 answers) and O3b (none) count for no stage, so
// stage 3 rests on L3 alone, 1 of its 3 statements: too few answers to be
// sure. Stage 2: L2 87.5, O2 reversed 87.5: attained. Stage 3: L3 50: not.
// Silo: L3 (mean 3) 50 and O2 (mean 1.5 -> 12.5, reversed) 87.5: 68.75.
// Sales: L3 75, O2 reversed 75 -> 75. Service: L3 25, O2 reversed 100 ->
// 62.5. Overall: Sales 75; Service (62.5 + 100) / 2 = 81.25: spread 6.25.
const SALES = { L2: 4, L3: 4, O2: 2, O3: null, O3b: null };
const SERVICE = [
  { L2: 5, L3: 2, O2: 1, O3: 5, O3b: null },
  { L2: 5, L3: 2, O2: 1, O3: 5, O3b: null },
  { L2: 5, L3: 2, O2: 1, O3: null, O3b: null },
];

let server;
let browser;
let admin;
let cycle;

async function answer(token, answers) {
  const participant = new ApiClient(server.url);
  await participant.call('GET', `/api/r/${token}`);
  await participant.call('POST', `/api/r/${token}/claim`, {});
  await participant.call('PUT', `/api/r/${token}/answers`, { answers });
  await participant.call('POST', `/api/r/${token}/submit`);
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  const arranged = await admin.arrange({ units: ['Sales', 'Service'] });
  cycle = await admin.call('POST', `/api/orgs/${arranged.org.id}/cycles`, { name: 'Silo check', model_yaml: MODEL, min_group_size: 3 });
  const invite = async (unit) =>
    (await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, { count: 3, role: 'frontline', unit })).invitations;
  const sales = await invite('Sales');
  const service = await invite('Service');
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
  for (const link of sales) await answer(link.token, SALES);
  for (const [i, link] of service.entries()) await answer(link.token, SERVICE[i]);
  await admin.call('POST', `/api/cycles/${cycle.id}/close`); // anonymous: results once closed
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the report carries the evidence rule and the silo score of the shown units', async () => {
  const report = await admin.call('GET', `/api/cycles/${cycle.id}/report`);
  assert.equal(report.answers_to_count, 3);
  assert.equal(report.stage.number, 2);
  assert.equal(report.stage.indicative, true);
  assert.deepEqual(
    report.stages.map((s) => [s.number, s.indicative, s.counted, s.statements]),
    [[1, false, 0, 0], [2, false, 2, 2], [3, true, 1, 3]],
  );
  assert.deepEqual(report.competencies.map((c) => [c.id, c.indicative]), [['lead', false], ['ops', true]]);
  assert.equal(report.items.find((i) => i.id === 'O2').reverse, true);
  assert.equal(report.items.find((i) => i.id === 'O2').score, 87.5);
  assert.equal(report.items.find((i) => i.id === 'O2').mean, 1.5); // as answered
  assert.deepEqual(report.silo.statements, ['L3', 'O2']);
  assert.equal(report.silo.score, 68.75);
  // Units in the order of the report's segments (the order answers are stored in).
  const byName = [...report.silo.units].sort((a, b) => a.name.localeCompare(b.name));
  assert.deepEqual(byName, [{ name: 'Sales', score: 75, counted: 2 }, { name: 'Service', score: 62.5, counted: 2 }]);
  assert.equal(report.silo.counted, 2);
  assert.equal(report.silo.spread, 6.25);
  // Only units shown in the report's own segments have a silo score.
  const shown = report.segments.unit.filter((u) => !u.suppressed).map((u) => u.name);
  assert.deepEqual(report.silo.units.map((u) => u.name), shown);
});

test('the results page says "too few answers to be sure" and shows the silo score', async () => {
  for (const [viewport, name] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
    const page = await signedInPage(browser, server, admin, { viewport });
    await page.goto(`${server.url}/cycles/${cycle.id}/results`);
    await page.getByRole('heading', { name: 'Stage 2 of 3: Explore' }).waitFor();
    const unsure = page.getByTestId('stage-unsure');
    await unsure.waitFor();
    assert.match(await unsure.innerText(), /^Too few answers to be sure\./);
    assert.match(await unsure.innerText(), /at least 3 answers .* at stage 3 Mobilize only 1 of its 3 statements had that many/);
    // The ladder marks the step; the competency table marks Operations.
    await page.getByText('too few answers to be sure (1 of 3 statements had enough answers)').waitFor();
    const ops = page.getByRole('row', { name: /^Operations \d/ });
    assert.match(await ops.innerText(), /too few answers to be sure/);
    assert.doesNotMatch(await page.getByRole('row', { name: /^Leadership \d/ }).innerText(), /too few answers/);
    // The silo score, what it means, each shown unit and the spread.
    await page.getByRole('heading', { name: 'Silo score' }).waitFor();
    assert.equal(await page.getByTestId('silo-score').innerText(), '69');
    await page.getByText(/How far people see departments working together for customers rather than apart, from the 2 statements/).waitFor();
    const silo = page.locator('section', { has: page.getByRole('heading', { name: 'Silo score' }) });
    assert.match(await silo.getByRole('row', { name: /Sales/ }).innerText(), /75/);
    assert.match(await silo.getByRole('row', { name: /Service/ }).innerText(), /63/);
    await silo.getByText(/The units shown lie 6 points apart/).waitFor();
    // The reversed statement says so where its score is shown.
    await page.getByText(/worded in reverse: its score counts disagreeing as the better answer/).first().waitFor();
    await assertAccessible(page, `results with the silo score (${name})`);
    await screenshot(page, `results-silo-${name}`);
    page.assertClean();
    await page.context().close();
  }
});

test('the printable report says it too', async () => {
  const response = await fetch(`${server.url}/api/cycles/${cycle.id}/report.html`, { headers: { cookie: admin.cookie } });
  assert.equal(response.status, 200);
  const html = await response.text();
  assert.match(html, /too few answers to be sure/);
  assert.match(html, /<h2>Silo score<\/h2>/);
  assert.match(html, /<td>Sales<\/td><td class="n">75<\/td>/);
  // Looked at as a person would, in the browser.
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/api/cycles/${cycle.id}/report.html`);
  await page.getByRole('heading', { name: 'Silo score' }).waitFor();
  await screenshot(page, 'report-silo-desktop');
  await page.context().close();
});
