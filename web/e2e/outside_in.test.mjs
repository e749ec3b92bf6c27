// Outside-in (SPEC section 4.10, docs/outside-in.md) on the demo
// organization, whose synthetic customer metrics `cxm demo` loads (monthly
// NPS for the whole organization, each unit's NPS in the month each cycle
// opened, quarterly CSAT). The progress page shows the customer metric's
// trend under the maturity trend and the correlation with its caution; the
// results page the customers' figure, its change and the delivery gap with
// the caveat; the printed report its Outside-in section.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, assertAccessible, launchBrowser, signedInPage, screenshot, startServer } from './support.mjs';
import { Contract, loadDocument } from './contract.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const shots = process.env.CXM_SCREENSHOTS ?? join(here, '../../build/screenshots');
// One part of a page, to look at closely.
const partShot = (locator, name) => locator.screenshot({ path: join(shots, `${name}.png`) });

let server;
let browser;
let admin;
let org;
let cycles;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  [org] = (await admin.call('GET', '/api/orgs')).organizations;
  cycles = (await admin.call('GET', `/api/orgs/${org.id}/cycles`)).cycles;
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the progress page shows the customers trend under the maturity trend and the correlation', async () => {
  const progress = await admin.call('GET', `/api/orgs/${org.id}/progress`);
  new Contract(loadDocument()).checkResponse('get', '/api/orgs/{org}/progress', 200, progress);
  assert.deepEqual(progress.customer_metrics.map((m) => m.metric), ['nps', 'csat']);
  const nps = progress.outside_in.correlations.find((c) => c.metric === 'nps');
  // Three cycles, each with the whole organization and four shown units.
  assert.equal(nps.n, 15, JSON.stringify(nps));
  assert.equal(typeof nps.rho, 'number');
  const csat = progress.outside_in.correlations.find((c) => c.metric === 'csat');
  assert.ok(csat.n < 8 && csat.rho === null && csat.reason.includes(`only ${csat.n} pairs`), JSON.stringify(csat));

  for (const [viewport, name] of [[{ width: 1440, height: 900 }, 'outside-in-progress-desktop'], [{ width: 390, height: 844 }, 'outside-in-progress-phone']]) {
    const page = await signedInPage(browser, server, admin, { viewport });
    await page.goto(`${server.url}/orgs/${org.id}/progress`);
    const trend = page.getByTestId('outside-in-trend');
    await trend.waitFor();
    assert.match(await trend.getByTestId('synthetic-badge').textContent(), /Synthetic/);
    assert.match(await trend.getByTestId('metric-definition').textContent(), /Net Promoter Score: Customers are asked how likely/);
    // Both panels share one time axis: the maturity points and the NPS points.
    const label = await trend.getByTestId('customer-trend').getAttribute('aria-label');
    assert.ok(label.startsWith('Whole organization. Maturity: '), label);
    assert.ok(label.includes('Net Promoter Score: '), label);
    assert.equal(await trend.locator('circle.own').count(), 3);
    const wholeSeries = progress.customer_metrics[0].series.filter((f) => f.unit === null);
    assert.equal(await trend.locator('circle.theirs').count(), wholeSeries.length);
    // Per unit where both exist.
    const groups = await trend.getByTestId('group-picker').locator('option').allTextContents();
    assert.equal(groups[0], 'Whole organization');
    assert.ok(groups.length > 1, groups.join());
    await trend.getByTestId('group-picker').selectOption({ label: groups[1] });
    assert.ok((await trend.getByTestId('customer-trend').getAttribute('aria-label')).startsWith(`${groups[1]}. Maturity: `));
    await trend.getByTestId('group-picker').selectOption({ label: 'Whole organization' });
    // The correlation with its n and the caution in plain words.
    const card = page.getByTestId('correlation-card');
    assert.equal((await card.getByTestId('correlation-headline').textContent()).trim(), `ρ = ${nps.rho.toFixed(2)} (n = ${nps.n})`);
    assert.match(await card.getByTestId('correlation-caution').textContent(), /An association, not a cause/);
    await assertAccessible(page, 'the progress page with outside-in');
    await screenshot(page, name);
    await partShot(trend, `${name}-trend`);
    await partShot(card, `${name}-correlation`);
    // CSAT: too few pairs, and the page says so.
    await trend.getByTestId('metric-picker').selectOption('csat');
    assert.equal((await card.getByTestId('correlation-headline').textContent()).trim(), 'No correlation stated');
    assert.match(await card.getByTestId('correlation-words').textContent(), /at least 8 are needed/);
    page.assertClean();
  }
});

test('the results page and the printed report set the customers figure beside the own view', async () => {
  const last = cycles.at(-1);
  const report = await admin.call('GET', `/api/cycles/${last.id}/report`);
  new Contract(loadDocument()).checkResponse('get', '/api/cycles/{cycle}/report', 200, report);
  const o = report.outside_in;
  assert.ok(o, 'the whole report has outside_in');
  const nps = o.metrics.find((m) => m.metric === 'nps');
  assert.equal(nps.figures[0].unit, null);
  assert.ok(nps.figures[0].change, JSON.stringify(nps.figures[0]));
  assert.ok(o.delivery_gap.rows.length >= 1);
  assert.deepEqual(o.delivery_gap.statements.length, 6);
  const unit = report.segments.unit.find((s) => !s.suppressed);
  const filtered = await admin.call('GET', `/api/cycles/${last.id}/report?unit=${encodeURIComponent(unit.value)}`);
  assert.equal('outside_in' in filtered, false, 'a unit view carries no outside-in');

  for (const [viewport, name] of [[{ width: 1440, height: 900 }, 'outside-in-results-desktop'], [{ width: 390, height: 844 }, 'outside-in-results-phone']]) {
    const page = await signedInPage(browser, server, admin, { viewport });
    await page.goto(`${server.url}/cycles/${last.id}/results`);
    const card = page.getByTestId('outside-in-card');
    await card.waitFor();
    const first = await card.getByTestId('customer-figure').first().textContent();
    assert.match(first, /Whole organization: -?\d+/);
    assert.match(first, /customers, synthetic/);
    assert.match(first, /since \d{4}-\d{2}/);
    assert.ok((await card.getByTestId('delivery-gap-row').count()) >= 1);
    assert.match(await card.getByTestId('outside-in-caveat').textContent(), /Closing the Delivery Gap/);
    await card.scrollIntoViewIfNeeded();
    // Nothing of the card pushes the page wider than the screen.
    const cardWidth = await card.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    assert.ok(cardWidth, 'the outside-in card fits its width');
    await assertAccessible(page, 'the results page with outside-in');
    await screenshot(page, name);
    await partShot(card, `${name}-card`);
    page.assertClean();
  }

  const page = await signedInPage(browser, server, admin, { viewport: { width: 1440, height: 900 } });
  await page.goto(`${server.url}/api/cycles/${last.id}/report.html`);
  const section = page.locator('section.outside-in');
  await section.waitFor();
  assert.match(await section.textContent(), /A comparison, not a cause/);
  assert.equal(await section.locator('svg').count(), 1);
  await partShot(section, 'outside-in-report-section');
});
