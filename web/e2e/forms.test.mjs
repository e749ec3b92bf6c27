// The forms a cycle comes in: a pulse check set up in the browser (a few
// statements, results without a stage), and a cycle on the first default
// model (1.0.0), which keeps its snapshot and still renders.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ApiClient, DESKTOP, PHONE, assertAccessible, launchBrowser, openPage, signedInPage, screenshot, startServer } from './support.mjs';

let server;
let browser;
let admin;
let arranged;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  arranged = await admin.arrange();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const signedIn = (options) => signedInPage(browser, server, admin, options);

test('a facilitator runs a pulse check: few statements, scores without a stage', async () => {
  const page = await signedIn({ viewport: DESKTOP });
  await page.goto(`${server.url}/orgs/${arranged.org.id}`);
  await page.getByRole('heading', { name: 'Acme Insurance' }).waitFor();
  await page.getByRole('button', { name: 'New cycle' }).click();
  await page.getByLabel('Name').fill('Autumn 2027 pulse');
  await page.getByLabel(/^Pulse check/).check();
  await page.getByRole('button', { name: 'Create cycle' }).click();
  await page.getByRole('heading', { name: /Autumn 2027 pulse/ }).waitFor();
  await page.getByText('pulse check: 14 statements, about 2 min').waitFor();
  const cycleId = page.url().split('/cycles/')[1];
  const cycle = await admin.call('GET', `/api/cycles/${cycleId}`);
  assert.equal(cycle.pulse, true);
  await assertAccessible(page, 'pulse cycle');

  const links = (await admin.call('POST', `/api/cycles/${cycleId}/invitations`, { count: 4, role: 'frontline' })).invitations;
  await admin.call('POST', `/api/cycles/${cycleId}/open`);

  // The participant sees the pulse: 14 statements, the introduction still.
  const phone = await openPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
  await phone.goto(server.url + links[3].url); // started on the phone only
  // The key facts say it is a pulse check; "More about this assessment" says what one is.
  await phone.getByText('(a short pulse check)', { exact: false }).waitFor();
  await phone.getByText('More about this assessment').click();
  await phone.getByText('This is a short pulse check').waitFor();
  await phone.getByText('14 statements').waitFor();
  await phone.getByText('about 2 minutes').waitFor();
  await phone.getByRole('heading', { name: 'Before you start' }).waitFor();
  await assertAccessible(phone, 'pulse welcome');
  await screenshot(phone, 'participant-pulse-welcome-phone');
  await phone.getByRole('button', { name: 'Start' }).click();
  await phone.getByRole('button', { name: 'Go to the statements' }).click(); // after the resume code
  const groups = phone.locator('fieldset');
  await phone.getByText('Section 1 of 7').waitFor();
  assert.equal(await groups.count(), 2, 'two pulse statements per competency');
  phone.assertClean();
  await phone.context().close();

  for (const [i, link] of links.slice(0, 3).entries()) await admin.answerAll(link.token, (k) => 2 + ((i + k) % 4));
  await admin.call('POST', `/api/cycles/${cycleId}/close`); // anonymous: results once closed
  await page.goto(`${server.url}/cycles/${cycleId}/results`);
  await page.getByRole('heading', { name: 'Pulse check: 14 statements' }).waitFor();
  await page.getByText(/Scores and agreement are computed on them alone/).waitFor();
  await page.getByRole('heading', { name: 'Competencies (pulse statements)' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: /^Stage \d/ }).count(), 0, 'no stage verdict');
  assert.equal(await page.getByRole('heading', { name: 'Maturity ladder' }).count(), 0);
  assert.equal(await page.getByRole('heading', { name: /Key obstacle/ }).count(), 0);
  assert.equal(await page.getByRole('columnheader', { name: 'Stage' }).count(), 0);
  await assertAccessible(page, 'pulse results');
  await screenshot(page, 'results-pulse-desktop');
  page.assertClean();
});

test('a cycle on the first default model keeps its snapshot and renders', async () => {
  const old = readFileSync(new URL('../../tests/data/cx-maturity-1.0.0.yaml', import.meta.url), 'utf8');
  const cycle = await admin.call('POST', `/api/orgs/${arranged.org.id}/cycles`, { name: 'Spring 2026 (model 1.0.0)', model_yaml: old });
  assert.deepEqual([cycle.model.version, cycle.model.items, cycle.model.pulse_items], ['1.0.0', 35, 0]);
  const links = (await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, { count: 3, role: 'manager' })).invitations;
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
  const q = await admin.call('GET', `/api/r/${links[0].token}`);
  assert.deepEqual([q.items.length, q.introduction, q.glossary], [35, null, []]);
  for (const link of links) await admin.answerAll(link.token, (k) => (k % 5 < 2 ? 4 : 2));
  await admin.call('POST', `/api/cycles/${cycle.id}/close`); // anonymous: results once closed

  const page = await signedIn({ viewport: DESKTOP });
  await page.goto(`${server.url}/cycles/${cycle.id}/results`);
  const report = await admin.call('GET', `/api/cycles/${cycle.id}/report`);
  assert.equal(report.model.version, '1.0.0');
  assert.equal(report.items.length, 35);
  await page.getByRole('heading', { name: `Stage ${report.stage.number} of 6: ${report.stage.name}` }).waitFor();
  await page.getByText('Customer Experience Maturity 1.0.0').waitFor();
  await page.getByText('Later stages take years.').waitFor();
  await assertAccessible(page, 'results on model 1.0.0');
  page.assertClean();
});
