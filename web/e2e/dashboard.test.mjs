// The results dashboard on the demo organization (`cxm demo`): charts with
// their text alternatives, the discussion order, segments, print layout;
// and how the binary serves the embedded application.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ApiClient, DESKTOP, PHONE, assertAccessible, launchBrowser, openPage, signedInPage, screenshot, screenshotDir, startServer } from './support.mjs';

let server;
let browser;
let admin;
let cycle;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  const [org] = (await admin.call('GET', '/api/orgs')).organizations;
  cycle = (await admin.call('GET', `/api/orgs/${org.id}/cycles`)).cycles.find((c) => c.name.startsWith('Six-month'));
  // A synthetic benchmark dataset of eight peers (labelled so), an action
  // and a group decision: the results and the report show them.
  const report = await admin.call('GET', `/api/cycles/${cycle.id}/report`);
  const rows = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({
    organization: `peer-${i}`, industry: 'Retail', assessed_on: '2026-01-15', model_id: report.model.id,
    stage: 2 + (i % 3), overall: 30 + 5 * i, ...Object.fromEntries(report.competencies.map((c, k) => [c.id, 25 + 5 * i + k])),
  }));
  await admin.call('POST', '/api/benchmarks', {
    dataset: { metadata: { name: 'Example peers', source: 'cxm e2e test', licence: 'CC0-1.0', synthetic: true }, rows },
  });
  await admin.call('POST', `/api/orgs/${org.id}/actions`, { title: 'Name an owner for the customer journey', owner: 'Dana', due: '2027-03-31' });
  await admin.call('PUT', `/api/cycles/${cycle.id}/discussion/notes/${report.items[0].id}`, { note: 'Sales and service see this differently', decision: 4 });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const signedIn = (options) => signedInPage(browser, server, admin, options);

test('the dashboard shows the demo cycle with the same numbers in charts and text', async () => {
  const page = await signedIn({ viewport: DESKTOP });
  await page.goto(server.url + '/');
  await page.getByText('Demo data').waitFor();
  await screenshot(page, 'organizations-desktop');
  await page.getByRole('link', { name: /Northwind Retail/ }).click();
  let reportRequests = 0;
  page.on('request', (r) => {
    if (r.url().includes(`/api/cycles/${cycle.id}/report`)) reportRequests++;
  });
  await page.getByRole('link', { name: `Results of ${cycle.name}` }).click();
  await page.getByRole('heading', { name: /^Stage \d of 6: / }).waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(reportRequests, 1, 'the report is fetched once per view');

  const report = await admin.call('GET', `/api/cycles/${cycle.id}/report`);
  await page.getByRole('heading', { name: `Stage ${report.stage.number} of 6: ${report.stage.name}` }).waitFor();
  await page.getByText(report.stage.obstacle).waitFor();
  assert.equal(await page.locator('[aria-current="step"]').count(), 1, 'one stage is marked current');

  // The radar's description carries every competency score shown in the table.
  const description = await page.locator('#radar-desc').textContent();
  for (const c of report.competencies) assert.ok(description.includes(`${c.name}: ${Math.round(c.score)}`), c.name);
  // The peers' middle half and median on the radar, with the same numbers in words.
  await page.locator('path.peer-band').waitFor();
  assert.equal(await page.locator('path.peer-median').count(), 1);
  assert.match(await page.locator('#radar-desc').textContent(), /\(peers: median \d+, middle half \d+ to \d+\)/);
  await page.getByText(/Shaded band = middle half of peers .*Example peers \(synthetic data\), 8 peers/).waitFor();

  // Each distribution bar has a text alternative with the counts.
  const first = report.items[0];
  const label = await page.locator('svg[role="img"][aria-label^="Strongly disagree"]').first().getAttribute('aria-label');
  assert.equal(label.split(';')[0], first.histogram.map((n, i) => `${report.scale.labels[i]}: ${n}`).join(', '));

  // Next-stage gaps list the report's items in its order.
  const gaps = await page.locator('#gaps-title + p + ol li').allTextContents();
  assert.equal(gaps.length, report.next_stage_gaps.length);

  // Discussion agenda: least agreement first.
  await page.getByLabel('Order').selectOption('disagreement');
  // The figures behind the plain words ("Figures: rwg 0.42, sd …").
  const rwgs = (await page.locator('.rwg').allTextContents()).map((t) => parseFloat(t.match(/rwg ([\d.]+)/)[1]));
  assert.deepEqual(rwgs, [...rwgs].sort((a, b) => a - b));
  await page.getByLabel('Order').selectOption('model');

  await assertAccessible(page, 'dashboard');
  await screenshot(page, 'dashboard-desktop');

  // A unit filter, kept in the address.
  await page.getByLabel('Show results for').selectOption('unit:Operations');
  await page.getByText(/^Operations · \d+ respondents$/).waitFor();
  await page.reload();
  await page.getByText(/^Operations · \d+ respondents$/).waitFor();

  // Print layout, and the PDF the browser makes of it.
  await page.getByLabel('Show results for').selectOption('');
  await page.getByText('Everyone · 40 respondents').waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Log out' }).isVisible(), false);
  await screenshot(page, 'dashboard-print');
  mkdirSync(screenshotDir, { recursive: true });
  const pdf = join(screenshotDir, 'dashboard.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  assert.ok(statSync(pdf).size > 10000);
  page.assertClean();
});

test('the dashboard works on a phone, in light and dark mode', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const page = await signedIn({ viewport: PHONE, isMobile: true, hasTouch: true, colorScheme });
    await page.goto(server.url + `/cycles/${cycle.id}/results`);
    await page.getByRole('heading', { name: /^Stage \d of 6: / }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `no horizontal scrolling on a phone (page is ${width}px wide)`);
    await assertAccessible(page, `dashboard on a phone, ${colorScheme}`);
    await page.screenshot({ path: join(screenshotDir, `dashboard-phone-${colorScheme}.png`) });
    page.assertClean();
  }
});

test('the cycle page of a closed demo cycle', async () => {
  const page = await signedIn({ viewport: DESKTOP });
  await page.goto(server.url + `/cycles/${cycle.id}`);
  await page.getByText('The cycle is closed. Read the results').waitFor();
  await page.getByRole('button', { name: 'Reopen cycle' }).waitFor();
  await assertAccessible(page, 'closed cycle');
  await screenshot(page, 'cycle-closed-desktop');
  page.assertClean();
});

test('the binary serves the application: fallback, types, compression, caching', async () => {
  const index = await fetch(server.url + '/cycles/anything/results');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  assert.match(index.headers.get('content-security-policy'), /script-src 'self'/);
  assert.equal(index.headers.get('referrer-policy'), 'no-referrer');
  const html = await index.text();
  const script = html.match(/src="(\/assets\/[^"]+\.js)"/)[1];

  // fetch() asks for gzip and inflates it; ask by hand to see the raw bytes.
  const { request } = await import('node:http');
  const raw = await new Promise((resolve, reject) => {
    request(server.url + script, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
  assert.equal(raw.headers['content-encoding'], 'gzip');
  assert.match(raw.headers['content-type'], /^text\/javascript/);
  assert.equal(raw.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.ok(gunzipSync(raw.body).toString().length > raw.body.length);

  const again = await fetch(server.url + script, { headers: { 'if-none-match': raw.headers.etag } });
  assert.equal(again.status, 304);
  assert.equal((await fetch(server.url + '/assets/missing.js')).status, 404);
  assert.equal((await fetch(server.url + '/api/nothing')).status, 404, 'the API never falls back to the page');
  assert.equal((await fetch(server.url + '/api/health')).status, 200);
});

// The printable report: downloaded from the results page, it opens with
// nothing fetched from anywhere, and prints to a PDF of several A4 pages.
test('the report file downloads, needs nothing from outside, and prints to a PDF', async () => {
  const page = await signedIn({ viewport: DESKTOP });
  await page.goto(server.url + `/cycles/${cycle.id}/results`);
  await page.getByRole('heading', { name: /^Stage \d of 6: / }).waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download report' }).click();
  assert.match((await download).suggestedFilename(), /^cxm-report-.*\.html$/);
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, 'report.html');
  await (await download).saveAs(file);

  const report = await openPage(browser, { viewport: { width: 900, height: 1200 } });
  const fetched = [];
  await report.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    fetched.push(url);
    return route.abort();
  });
  await report.goto('file://' + file);
  await report.getByRole('heading', { name: 'Summary' }).waitFor();
  assert.deepEqual(fetched, [], 'the report fetches nothing');
  // The sections of a cycle on the server, and the peers labelled synthetic.
  for (const heading of ['Compared with peers', 'Change since First assessment (demo)', 'What the group decided',
    'Action plan', 'Published figures for context', 'Outside-in']) {
    await report.getByRole('heading', { name: heading }).waitFor();
  }
  await report.getByText(/Among 8 peers of Example peers \(synthetic data, not real organizations\)/).waitFor();
  await report.getByText(/^Since First assessment \(demo\), the overall score went from/).waitFor();
  // The stage ladder, the competencies and the delivery gap (the demo has
  // synthetic customer metrics).
  const charts = report.locator('svg[role="img"]');
  assert.equal(await charts.count(), 3);
  for (let i = 0; i < 3; i++) {
    const labelled = (await charts.nth(i).getAttribute('aria-labelledby')).split(' ');
    for (const id of labelled) assert.ok((await report.locator(`[id="${id}"]`).textContent()).length > 10);
  }
  await assertAccessible(report, 'printable report');
  await screenshot(report, 'report-html');
  const pdf = await report.pdf({ format: 'A4', printBackground: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.ok(pages >= 4 && pages <= 12, `the report prints on ${pages} pages`);
  writeFileSync(join(screenshotDir, 'report.pdf'), pdf);
  report.assertClean([/ERR_FAILED/]);
});

test('the discussion page puts disagreement first and keeps the group decision', async () => {
  const page = await signedIn({ viewport: DESKTOP });
  await page.goto(`${server.url}/cycles/${cycle.id}`);
  await page.getByRole('link', { name: 'Discussion' }).click();
  await page.getByRole('heading', { name: `Discussion: ${cycle.name}` }).waitFor();
  await page.getByRole('heading', { name: 'Discussion agenda' }).waitFor();
  const discussion = await admin.call('GET', `/api/cycles/${cycle.id}/discussion`);
  // The statements appear in the agenda's order.
  const shown = await page.locator('article h3 .id').allTextContents();
  assert.deepEqual(shown, discussion.agenda.map((a) => a.id));
  const first = discussion.agenda[0];
  assert.notEqual(first.class, 'agreement');

  const card = page.locator('article').first();
  await card.getByLabel("Facilitator's note").fill('Sales and Operations see this differently.');
  await card.getByLabel('The group agrees this is').selectOption('2');
  await card.getByRole('button', { name: 'Save' }).click();
  await card.getByRole('status').getByText('Saved').waitFor();
  await page.reload();
  const again = page.locator('article').first();
  await again.getByLabel("Facilitator's note").waitFor();
  assert.equal(await again.getByLabel("Facilitator's note").inputValue(), 'Sales and Operations see this differently.');
  assert.equal(await again.getByLabel('The group agrees this is').inputValue(), '2');
  const stored = await admin.call('GET', `/api/cycles/${cycle.id}/discussion`);
  assert.deepEqual(
    [stored.statements.find((s) => s.id === first.id).discussion.decision],
    [2],
  );
  // The results show what the group decided.
  await page.getByRole('link', { name: 'Results' }).click();
  await page.getByRole('heading', { name: 'What the group decided' }).waitFor();
  await page.getByText('We agree this is 2 (Disagree).').waitFor();
  await page.goBack();
  await page.getByRole('heading', { name: 'Agreement and reliability per competency' }).waitFor();
  await page.getByRole('heading', { name: 'Perception gaps between roles and units' }).waitFor();
  await assertAccessible(page, 'discussion');
  await screenshot(page, 'discussion-desktop');

  const phone = await signedIn({ viewport: PHONE });
  await phone.goto(`${server.url}/cycles/${cycle.id}/discussion`);
  await phone.getByRole('heading', { name: 'Discussion agenda' }).waitFor();
  await screenshot(phone, 'discussion-phone');
});

test('the demo shows its synthetic comments where at least k people commented, and why not elsewhere', async () => {
  const comments = await admin.call('GET', `/api/cycles/${cycle.id}/comments`);
  assert.equal(comments.anonymous, true);
  assert.equal(comments.withheld, null);
  const byId = Object.fromEntries(comments.competencies.map((c) => [c.id, c]));
  for (const id of ['leadership', 'operations', 'people']) {
    assert.ok(byId[id].comments.length >= comments.min_group_size, id);
    assert.equal(byId[id].withheld, null, id);
    // Labelled synthetic, never presented as real.
    for (const c of byId[id].comments) assert.match(c.text, /\(demo\)$/);
  }
  for (const id of ['governance', 'insight', 'metrics', 'brand']) {
    assert.equal(byId[id].comments.length, 0, id);
    assert.ok(byId[id].withheld, id);
  }
  const page = await signedIn({ viewport: DESKTOP });
  await page.goto(`${server.url}/cycles/${cycle.id}/discussion`);
  const panel = page.getByTestId('comments');
  await panel.getByText(byId.leadership.comments[0].text).waitFor();
  await panel.getByTestId('comments-governance').getByText(byId.governance.withheld).waitFor();
  await screenshot(page, 'discussion-demo-comments');
});
