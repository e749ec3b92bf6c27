// Customer metrics on the progress page: the demo's synthetic ones listed
// with their definitions and labelled synthetic; a facilitator uploads a
// CSV file, sees it listed with what it covers, sees a wrong file refused
// with its line and column (nothing imported), and deletes a metric.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, assertAccessible, launchBrowser, signedInPage, screenshot, startServer } from './support.mjs';

let server;
let browser;
let admin;
let org;
let dir;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  [org] = (await admin.call('GET', '/api/orgs')).organizations;
  dir = mkdtempSync(join(tmpdir(), 'cxm-metrics-'));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function file(name, text) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('a facilitator uploads customer figures, sees a wrong row named, and deletes a metric', async () => {
  for (const [name, viewport] of [
    ['desktop', { width: 1440, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ]) {
    const page = await signedInPage(browser, server, admin, { viewport });
    await page.goto(`${server.url}/orgs/${org.id}/progress`);
    const panel = page.getByTestId('customer-metrics');
    await panel.getByRole('heading', { name: 'Customer metrics' }).waitFor();
    // The demo's figures: NPS and CSAT, labelled synthetic, with their definitions.
    const nps = panel.getByTestId('customer-metric-nps');
    await nps.getByRole('heading', { name: /Net Promoter Score/ }).waitFor();
    await nps.getByText('Synthetic', { exact: true }).waitFor();
    await nps.getByText(/how likely they are to recommend us/).waitFor();
    await nps.getByText('−100 to 100, higher is better').waitFor();
    await nps.getByText(/Whole organization, Customer Service, Marketing, Operations, Sales/).waitFor();
    await nps.getByText('Synthetic demo figures (cxm demo)').waitFor();
    await panel.getByTestId('customer-metric-csat').waitFor();
    await assertAccessible(page, `progress page with customer metrics (${name})`);
    await screenshot(page, `customer-metrics-${name}`);
    page.assertClean();
    await page.context().close();
  }

  const page = await signedInPage(browser, server, admin, { viewport: { width: 1440, height: 900 } });
  await page.goto(`${server.url}/orgs/${org.id}/progress`);
  const panel = page.getByTestId('customer-metrics');
  await panel.getByTestId('customer-metric-nps').waitFor();
  const upload = panel.getByLabel('File of customer figures (CSV or JSON)');

  // The template is the header alone (nothing in it could pass for a real figure).
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: 'Download a template (CSV)' }).click()]);
  assert.equal(download.suggestedFilename(), 'customer-metrics-template.csv');
  const template = readFileSync(await download.path(), 'utf8');
  assert.equal(template, '\uFEFFperiod,unit,metric,value,respondents,source,name,definition,scale_min,scale_max\r\n');

  // A named rating and a CES figure for Sales.
  await upload.setInputFiles(
    file(
      'figures.csv',
      'period,unit,metric,value,respondents,source,name,definition,scale_min,scale_max\n' +
        '2026-05,Sales,ces,5.4,64,Effort survey after support calls,,,,\n' +
        '2026-05-14,,shop_stars,4.4,1200,"Shop reviews, read on the day",Shop stars,Mean stars of the shop\'s reviews,1,5\n',
    ),
  );
  await panel.getByRole('button', { name: 'Import' }).click();
  await panel.getByText('Imported figures.csv: 2 figures added, 0 figures replaced.').waitFor();
  const stars = panel.getByTestId('customer-metric-shop_stars');
  await stars.getByRole('heading', { name: /Shop stars/ }).waitFor();
  await stars.getByText("Mean stars of the shop's reviews").waitFor();
  await stars.getByText('1 to 5, higher is better').waitFor();
  await stars.getByText('Shop reviews, read on the day').waitFor();
  assert.equal(await stars.getByText('Synthetic', { exact: true }).count(), 0);
  await panel.getByTestId('customer-metric-ces').getByText('Sales').waitFor();

  // A wrong row: the server's message verbatim, and nothing imported.
  await upload.setInputFiles(
    file('wrong.csv', 'period,unit,metric,value,respondents,source\n2026-06,,ces,6,40,Effort survey\n2026-06,Billing,ces,5,40,Effort survey\n'),
  );
  await panel.getByRole('button', { name: 'Import' }).click();
  await panel
    .getByRole('alert')
    .getByText(
      "Line 3, column unit: 'Billing' is not one of the organization's units (Sales, Customer Service, Operations, Marketing); leave it empty for the whole organization; nothing was imported",
    )
    .waitFor();
  const ces = (await admin.call('GET', `/api/orgs/${org.id}/customer-metrics`)).metrics.find((m) => m.metric === 'ces');
  assert.equal(ces.series.length, 1);
  await screenshot(page, 'customer-metrics-refused');

  // Deleted after a confirmation.
  page.once('dialog', (dialog) => {
    assert.match(dialog.message(), /^Delete Shop stars \(shop_stars\) and all 1 figure of it\?/);
    void dialog.accept();
  });
  await stars.getByRole('button', { name: 'Delete Shop stars' }).click();
  await panel.getByText('Deleted Shop stars: 1 figure.').waitFor();
  assert.equal(await panel.getByTestId('customer-metric-shop_stars').count(), 0);
  const left = (await admin.call('GET', `/api/orgs/${org.id}/customer-metrics`)).metrics.map((m) => m.metric);
  assert.deepEqual(left, ['nps', 'csat', 'ces']);
  page.assertClean([/status of 422/]);
});
