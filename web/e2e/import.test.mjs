// The import page of a cycle: a facilitator chooses the mapping, uploads a
// survey tool's CSV export, reads the preview (with every problem by row
// and column), fixes the file, confirms, and finds the imported respondents
// counted and marked on the cycle's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, DESKTOP, PHONE, assertAccessible, launchBrowser, signedInPage, screenshot, startServer } from './support.mjs';

const data = join(dirname(fileURLToPath(import.meta.url)), '../../tests/data');
const limesurvey = readFileSync(join(data, 'limesurvey_export.csv'));

let server;
let browser;
let admin;
let cycle;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  const org = await admin.call('POST', '/api/orgs', { name: 'Acme', units: ['Sales', 'Support'] });
  cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Spring survey', anonymous: false });
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a LimeSurvey export: problems by row and column, then a clean preview, then the import', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/cycles/${cycle.id}`);
  await page.getByRole('link', { name: 'Import responses' }).click();
  await page.getByRole('heading', { name: 'Import responses', level: 1 }).waitFor();

  // A broken copy first: an unknown label in row 3.
  const broken = limesurvey.toString('utf8').replace(/"A[1-5]"/, '"Agree strongly"');
  await page.getByRole('radio', { name: /limesurvey/i }).check();
  await page.getByLabel('CSV export', { exact: true }).setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  const problems = page.getByRole('region', { name: 'Problems' });
  await problems.waitFor();
  assert.match(await problems.textContent(), /unknown answer label 'Agree strongly'/);
  assert.match(await problems.locator('tbody tr').first().textContent(), /^2/);  // row 2: the first response
  assert.equal(await page.getByRole('button', { name: /^Import \d+ respondents/ }).count(), 0);
  await page.getByText('Nothing can be imported until every problem is fixed').waitFor();
  await screenshot(page, 'import-problems-desktop');

  // The real export: the preview, then the import.
  await page.getByLabel('CSV export', { exact: true }).setInputFiles({ name: 'limesurvey_export.csv', mimeType: 'text/csv', buffer: limesurvey });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('heading', { name: '2. What the import will do' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Problems' }).count(), 0);
  await page.getByText('1 column maps to nothing and will be left out:').waitFor();
  await page.getByRole('cell', { name: 'A4', exact: true }).waitFor();
  await assertAccessible(page, 'import preview');
  await screenshot(page, 'import-preview-desktop');
  await page.getByRole('button', { name: 'Import 10 respondents' }).click();
  await page.getByText('Imported 10 respondents from limesurvey_export.csv.').waitFor();
  await page.getByText('limesurvey_export.csv · limesurvey · 10 respondents').waitFor();

  // Counted and marked as imported on the cycle's page.
  const counts = await admin.call('GET', `/api/cycles/${cycle.id}/responses`);
  assert.equal(counts.total.submitted, 10);
  await page.getByRole('link', { name: 'Back to the cycle' }).click();
  await page.getByText('All links (10)').waitFor();
  assert.equal(await page.getByRole('cell', { name: /^Imported from limesurvey_export\.csv/ }).count(), 10);

  // The same file again is refused before anything is written.
  await page.goto(`${server.url}/cycles/${cycle.id}/import`);
  await page.getByLabel('CSV export', { exact: true }).setInputFiles({ name: 'limesurvey_export.csv', mimeType: 'text/csv', buffer: limesurvey });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByText(/10 of these respondents were imported into this cycle before/).waitFor();
  assert.equal((await admin.call('GET', `/api/cycles/${cycle.id}/responses`)).total.submitted, 10);
  await page.close();
});

test('the import page on a phone', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: PHONE });
  await page.goto(`${server.url}/cycles/${cycle.id}/import`);
  await page.getByRole('heading', { name: 'Import responses', level: 1 }).waitFor();
  await assertAccessible(page, 'import page (phone)');
  await screenshot(page, 'import-phone');
  await page.close();
});
