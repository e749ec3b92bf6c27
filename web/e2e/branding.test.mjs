// An organization's branding as a consultant sets it (the consultant, the
// confidentiality line and a logo, on the organization's page) and as the
// participants and the report show it; and what the results page offers
// for a group that is hidden.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, DESKTOP, PHONE, launchBrowser, openPage, screenshot, signedInPage, startServer } from './support.mjs';

// A 1×1 PNG (blue), and a file that only claims to be one.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPj/HwADBwIAMCbHYQAAAABJRU5ErkJggg==',
  'base64',
);

let server;
let browser;
let admin;
let arranged;
const files = mkdtempSync(join(tmpdir(), 'cxm-branding-'));

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  arranged = await admin.arrange({
    links: [
      { count: 1, role: 'executive', unit: 'Sales' },
      { count: 3, role: 'manager', unit: 'Sales' },
    ],
  });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('branding set on the organization page shows on the participant page and the report', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/orgs/${arranged.org.id}`);
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel(/Prepared by/).fill('Acme Consulting');
  await page.getByLabel(/Confidentiality line/).fill('Confidential — prepared for Acme Insurance');
  // Not an image: refused with the server's reason, nothing kept.
  const svg = join(files, 'logo.svg');
  writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
  await page.getByLabel(/^Logo/).setInputFiles(svg);
  await page.getByText('the logo must be a PNG or JPEG image').waitFor();
  const png = join(files, 'logo.png');
  writeFileSync(png, PNG);
  await page.getByLabel(/^Logo/).setInputFiles(png);
  const preview = page.getByRole('img', { name: 'Acme Insurance logo' });
  await preview.waitFor();
  assert.ok(await preview.evaluate((img) => img.complete && img.naturalWidth === 1), 'the preview shows the uploaded logo');
  await screenshot(page, 'branding-organization-form');
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.getByRole('button', { name: 'Edit details' }).waitFor();
  const org = await admin.call('GET', `/api/orgs/${arranged.org.id}`);
  assert.equal(org.consultant, 'Acme Consulting');
  assert.equal(org.confidentiality, 'Confidential — prepared for Acme Insurance');
  assert.match(org.logo, /^\/api\/orgs\/.+\/logo\?v=\d+$/);
  page.assertClean([/Failed to load resource: the server responded with a status of 415/]);

  // The participant's welcome: the logo (through the link's own token) and the organization's name.
  for (const viewport of [PHONE, DESKTOP]) {
    const participant = await openPage(browser, { viewport });
    await participant.goto(server.url + arranged.links[0].url);
    const logo = participant.getByRole('img', { name: 'Acme Insurance logo' });
    await logo.waitFor();
    assert.match(await logo.getAttribute('src'), new RegExp(`^/api/r/${arranged.links[0].url.slice(3)}/logo\\?v=`));
    assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth === 1), 'the logo loads for the participant');
    await participant.getByText('Acme Insurance', { exact: true }).waitFor();
    await screenshot(participant, `branding-participant-${viewport.width}`);
    participant.assertClean();
    await participant.context().close();
  }

  // The report: the consultant and confidentiality line on the cover, the logo inlined.
  for (const link of arranged.links.slice(1)) await admin.answerAll(link.url.slice(3), () => 4);
  await admin.answerAll(arranged.links[0].url.slice(3), () => 4);
  await admin.call('POST', `/api/cycles/${arranged.cycle.id}/close`); // an anonymous cycle publishes when it closes
  const response = await fetch(`${server.url}/api/cycles/${arranged.cycle.id}/report.html`, { headers: { cookie: admin.cookie } });
  const html = await response.text();
  assert.match(html, /Prepared by Acme Consulting for Acme Insurance/);
  assert.match(html, /<p class="confidential">Confidential — prepared for Acme Insurance<\/p>/);
  assert.match(html, /<img class="logo" [^>]*src="data:image\/png;base64,/);
  // Under the report's own Content-Security-Policy (no bypass here): the inlined logo still shows.
  const context = await browser.newContext({ viewport: DESKTOP });
  await context.addCookies([{ name: 'cxm_session', value: admin.cookie.split('=')[1], url: server.url }]);
  const report = await context.newPage();
  const blocked = [];
  report.on('console', (message) => message.type() === 'error' && blocked.push(message.text()));
  await report.goto(`${server.url}/api/cycles/${arranged.cycle.id}/report.html`);
  const cover = report.getByRole('img', { name: 'Acme Insurance logo' });
  assert.ok(await cover.evaluate((img) => img.complete && img.naturalWidth === 1), 'the inlined logo shows under the page policy');
  assert.deepEqual(blocked, []);
  await screenshot(report, 'branding-report-cover');
  await report.context().close();
  await page.close();
});

test("a hidden group offers no download and says why", async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/cycles/${arranged.cycle.id}/results?role=executive`);
  await page.getByRole('heading', { name: /Results for Executives are hidden/ }).waitFor();
  await page.getByText('There is no report or workbook to download for this group, for the same reason.').waitFor();
  assert.equal(await page.getByRole('link', { name: 'Download workbook' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Download report' }).count(), 0);
  await screenshot(page, 'results-hidden-group');
  // Everyone: both downloads are offered again.
  await page.getByRole('link', { name: 'Show everyone' }).click();
  await page.getByRole('link', { name: 'Download workbook' }).waitFor();
  await page.getByRole('link', { name: 'Download report' }).waitFor();
  page.assertClean();
  await page.close();
});
