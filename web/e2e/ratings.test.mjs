// The "Customer ratings" card on the benchmark page: the demo's made-up
// ratings dataset (labelled synthetic, with its provenance), per metric and
// year the organization's own figure and its place among its industry's
// ratings, or the reason there is none; an administrator imports a
// ratings dataset through the page, the bad cell named by line and column.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, DESKTOP, assertAccessible, launchBrowser, signedInPage, screenshot, startServer } from './support.mjs';

let server;
let browser;
let admin;
let org;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  [org] = (await admin.call('GET', '/api/orgs')).organizations;
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// What the card must say of a position, as the API gives it.
function expectedLines(p) {
  const lines = [`${p.name}, ${p.year}`];
  if (p.percentile != null) lines.push(`ahead of ${Math.round(p.percentile)}% of peers (percentile rank ${Math.round(p.percentile)}, among ${p.peers} peers)`);
  if (p.reason) lines.push(p.reason);
  if (p.median != null) lines.push(`(n = ${p.peers})`);
  return lines;
}

test('the card places the organization among its industry, with provenance and the synthetic label', async () => {
  const [demo] = (await admin.call('GET', '/api/ratings')).datasets;
  assert.equal(demo.name, 'Retail customer ratings (demo, synthetic data)');
  const expected = await admin.call('GET', `/api/orgs/${org.id}/ratings?dataset=${demo.id}`);
  assert.equal(expected.positions.length, 2);

  for (const [viewport, name] of [
    [{ width: 1440, height: 900 }, 'ratings-desktop'],
    [{ width: 390, height: 844 }, 'ratings-phone'],
  ]) {
    const page = await signedInPage(browser, server, admin, { viewport });
    await page.goto(`${server.url}/orgs/${org.id}/benchmark`);
    const card = page.getByRole('region', { name: 'Customer ratings' });
    await card.getByRole('heading', { name: 'Customer ratings' }).waitFor();
    assert.equal(await card.getByLabel('Ratings dataset').locator('option:checked').textContent(), `${demo.name} (synthetic)`);
    // Provenance and the synthetic label travel with the figures.
    const about = card.getByRole('complementary', { name: 'About the customer-ratings dataset' });
    await about.getByText('Source: cxm demo (made up)', { exact: false }).waitFor();
    await about.getByText(`Cite as: ${demo.citation}`).waitFor();
    await about.getByText('Synthetic data', { exact: true }).waitFor();
    await card.getByText('synthetic ratings').waitFor();
    await card.getByText('Retail', { exact: true }).waitFor();
    const items = card.getByRole('listitem');
    assert.equal(await items.count(), expected.positions.length);
    for (const [i, p] of expected.positions.entries()) {
      const text = await items.nth(i).textContent();
      for (const line of expectedLines(p)) assert.ok(text.includes(line), `${line} in ${text}`);
      // The peers' quartiles: 30 made-up retailers each year.
      assert.equal(p.peers, 30);
      assert.ok(text.includes(`Peers' median ${p.median}`), text);
    }
    await card.getByText('A comparison, not a cause', { exact: false }).waitFor();
    await assertAccessible(page, `ratings card at ${viewport.width}px`);
    await screenshot(page, name);
    page.assertClean();
  }
});

test('an administrator imports a ratings dataset through the page; a bad cell is named and nothing stored', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/orgs/${org.id}/benchmark`);
  const card = page.getByRole('region', { name: 'Customer ratings' });
  await card.getByRole('listitem').first().waitFor();
  await card.getByRole('button', { name: 'Import ratings' }).click();
  const form = card.getByRole('form', { name: 'Import a customer-ratings dataset' });
  const upload = (csv) =>
    form.getByLabel('Dataset file (CSV or JSON)').setInputFiles({ name: 'ratings.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  let csv = 'company,industry,year,metric,value,respondents\n';
  for (let i = 1; i <= 4; i++) csv += `Shop ${i},Retail,2026,csat,${60 + 5 * i},${200 + i}\n`;
  await form.getByLabel('Name').fill('Shop index 2026');
  await form.getByLabel('Source (who collected it)').fill('cxm browser test');
  await form.getByLabel('Licence').fill('CC0-1.0');
  await form.getByLabel('Synthetic (made-up) data', { exact: false }).check();
  await upload(csv.replace(',75,', ',175,'));
  await form.getByRole('button', { name: 'Import', exact: true }).click();
  await form.getByRole('alert').getByText('Csv: line 4, column 5: value 175 is outside the scale of csat (0 to 100); nothing was imported').waitFor();
  assert.equal((await admin.call('GET', '/api/ratings')).datasets.length, 1);
  await upload(csv);
  await form.getByRole('button', { name: 'Import', exact: true }).click();
  await card.getByRole('option', { name: 'Shop index 2026 (synthetic)' }).waitFor({ state: 'attached' });
  // Four shops: no place, no quartiles, and how many peers are missing.
  await card.getByText('fewer than 5 peers: the dataset has 4 Retail ratings of Customer satisfaction (CSAT) for 2026 (1 missing)', { exact: false }).waitFor();
  assert.equal(await card.getByText("Peers' median").count(), 0);
  const imported = (await admin.call('GET', '/api/ratings')).datasets[0];
  assert.deepEqual([imported.name, imported.ratings, imported.synthetic], ['Shop index 2026', 4, true]);
  await screenshot(page, 'ratings-too-few');
  page.assertClean([/422/]);
});
