// A facilitator's first run in the browser: set-up, organization, cycle,
// links (copy, CSV, QR cards), live counts, the dashboard with role filters
// and suppression, log-out and log-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ApiClient, DESKTOP, PHONE, assertAccessible, launchBrowser, openPage, screenshot, startServer } from './support.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a facilitator sets up cxm, runs a cycle and reads the dashboard', async () => {
  const page = await openPage(browser, { viewport: DESKTOP, acceptDownloads: true });

  // First visit: set-up of the administrator.
  const apiCalls = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/')) apiCalls.push(new URL(r.url()).pathname);
  });
  await page.goto(server.url + '/');
  await page.waitForURL('**/setup');
  await page.waitForLoadState('networkidle');
  assert.deepEqual(apiCalls, ['/api/session', '/api/setup'], 'one look at the session, one at set-up');
  await page.getByRole('heading', { name: 'Welcome to cxm' }).waitFor();
  await assertAccessible(page, 'set-up');
  await screenshot(page, 'setup-desktop');
  await page.getByLabel('Your name').fill('Dana Lead');
  await page.getByLabel('E-mail').fill('dana@example.com');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await page.getByText('at least 10 characters.').waitFor();
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create administrator' }).click();

  // Empty state, then the first organization.
  await page.getByRole('heading', { name: 'Start with your first organization' }).waitFor();
  await assertAccessible(page, 'organizations, empty');
  await screenshot(page, 'organizations-empty-desktop');
  await page.getByLabel('Name').fill('Acme Insurance');
  await page.getByLabel('Industry').selectOption('Insurance');
  await page.getByLabel('Employees').selectOption({ label: '250–999 employees' });
  await page.getByLabel('Units').fill('Claims\nSales\nService');
  await page.getByRole('button', { name: 'Create organization' }).click();

  // The organization page offers the first cycle.
  await page.getByRole('heading', { name: 'Acme Insurance' }).waitFor();
  await page.getByRole('heading', { name: 'No assessment yet' }).waitFor();
  await assertAccessible(page, 'organization, no cycles');
  await screenshot(page, 'organization-desktop');
  await page.getByLabel('Name').fill('Spring 2027 assessment');
  await page.getByRole('button', { name: 'Create cycle' }).click();

  // Cycle page: draft, links, open.
  await page.getByRole('heading', { name: /Spring 2027 assessment/ }).waitFor();
  await page.getByText('Create links for the people you want to hear from').waitFor();
  await page.getByLabel('Number of links').fill('4');
  await page.getByRole('form', { name: 'Create links' }).getByLabel('Role').selectOption('executive');
  await page.getByRole('form', { name: 'Create links' }).getByLabel('Unit').selectOption('Sales');
  // An impatient double click creates one batch, not two.
  let batches = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/invitations')) batches++;
  });
  // The double click's second half comes after the first click's links are
  // shown, as on a busy machine: it still does not create a second batch.
  const createLinks = page.getByRole('button', { name: 'Create links' });
  await createLinks.scrollIntoViewIfNeeded();
  const box = await createLinks.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down({ clickCount: 1 });
  await page.mouse.up({ clickCount: 1 });
  await page.getByRole('heading', { name: '4 new links' }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Create links' && !b.disabled));
  await createLinks.scrollIntoViewIfNeeded();  // the links appeared above it
  const moved = await createLinks.boundingBox();
  await page.mouse.move(moved.x + moved.width / 2, moved.y + moved.height / 2);
  const secondBatch = page
    .waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/invitations'), { timeout: 2000 })
    .then(() => true, () => false);
  await page.mouse.down({ clickCount: 2 });
  await page.mouse.up({ clickCount: 2 });
  assert.equal(await secondBatch, false, 'the second half of a double click sent a second batch');
  await page.waitForLoadState('networkidle');
  assert.equal(batches, 1);
  const executiveLinks = await page.locator('.links code').allTextContents();
  assert.equal(executiveLinks.length, 4);
  for (const link of executiveLinks) assert.match(link, new RegExp(`^${server.url}/r/[0-9a-f]{32}$`));
  assert.equal(await page.locator('.qr-card svg').count(), 4, 'a QR card per link');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const csvText = readFileSync(await (await download).path(), 'utf8');
  assert.ok(csvText.startsWith('\uFEFF'), 'a byte-order mark, for Excel'); // (trim() would drop it)
  const csv = csvText.trim().split('\r\n');
  assert.equal(csv[0], 'label,role,unit,link');
  assert.deepEqual(csv.slice(1).map((row) => row.split(',')[3]), executiveLinks);
  assert.deepEqual(csv.slice(1).map((row) => row.split(',').slice(1, 3).join(',')), Array(4).fill('executive,Sales'));

  // Personal links for two named managers.
  await page.getByLabel('Personal links').check();
  await page.getByRole('form', { name: 'Create links' }).getByRole('textbox', { name: /^People/ }).fill('Alex Morgan\nSam Lee');
  await page.getByRole('form', { name: 'Create links' }).getByLabel('Role').selectOption('manager');
  await page.getByRole('form', { name: 'Create links' }).getByLabel('Unit').selectOption('');
  await page.getByRole('button', { name: 'Create links' }).click();
  await page.getByRole('heading', { name: '2 new links' }).waitFor();
  const managerLinks = await page.locator('.links code').allTextContents();
  await page.getByRole('cell', { name: 'Alex Morgan', exact: true }).waitFor();

  await page.getByRole('button', { name: 'Open cycle' }).click();
  await page.getByRole('button', { name: 'Close cycle' }).waitFor();
  await page.getByText('The cycle is open. Send the links').waitFor();
  await assertAccessible(page, 'cycle page');
  await screenshot(page, 'cycle-desktop');

  // Answers arrive; the live count follows without a reload.
  const participant = new ApiClient(server.url);
  const tokenOf = (link) => link.split('/r/')[1];
  for (const [i, link] of executiveLinks.slice(0, 3).entries()) {
    await participant.answerAll(tokenOf(link), (item) => 3 + ((item + i) % 3));
  }
  await participant.answerAll(tokenOf(managerLinks[0]), (item) => 1 + (item % 3));
  await page.getByText('4 people have submitted').waitFor({ timeout: 15000 });
  const submitted = page.locator('.totals div').nth(2).locator('.big');
  assert.equal(await submitted.textContent(), '4');

  // An anonymous cycle shows its results once closed.
  await page.getByRole('link', { name: 'View results' }).click();
  await page.getByRole('heading', { name: 'Results appear when the cycle closes' }).waitFor();
  await screenshot(page, 'results-before-close-desktop');
  await page.goto(page.url().replace(/\/results$/, ''));
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Close cycle' }).click();
  await page.getByRole('button', { name: 'Reopen cycle' }).waitFor();

  // The dashboard.
  await page.getByRole('link', { name: 'View results' }).click();
  await page.getByRole('heading', { name: /^Stage \d of 6: / }).waitFor();
  await page.getByRole('heading', { name: 'Maturity ladder' }).waitFor();
  await page.getByRole('img', { name: /Competency scores/ }).waitFor();
  assert.equal(await page.getByText('4 respondents').count(), 1);
  await assertAccessible(page, 'results');
  await screenshot(page, 'results-desktop');

  // Filters: the one manager is hidden, and so are the three executives:
  // everyone minus the executives would be that manager.
  await page.getByLabel('Show results for').selectOption('role:manager');
  await page.getByRole('heading', { name: 'Results for Managers are hidden' }).waitFor();
  await page.getByLabel('Show results for').selectOption('role:executive');
  await page.getByRole('heading', { name: 'Results for Executives are hidden' }).waitFor();
  // Its true reason, naming the smaller group (issue 23).
  // Everyone minus the executives is the manager, who has no unit.
  await page.getByText('large enough, but showing it would let the answers of the fewer than 3 people with no unit be worked out by subtraction').waitFor();
  assert.match(page.url(), /\?role=executive$/);
  await assertAccessible(page, 'results, suppressed segment');
  await screenshot(page, 'results-suppressed-desktop');
  await page.getByRole('link', { name: 'Show everyone' }).click();
  await page.getByText('Everyone · 4 respondents').waitFor();

  // Organization details change; a unit that tags links cannot be removed.
  await page.getByRole('link', { name: 'Acme Insurance' }).click();
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Units').fill('Claims\nService\nMarketing');
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.getByText("'Sales' is in use by participant links").waitFor();
  await page.getByLabel('Units').fill('Claims\nSales\nService\nMarketing');
  await page.getByLabel('Employees').selectOption({ label: '1,000–4,999 employees' });
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.getByRole('listitem').filter({ hasText: 'Marketing' }).waitFor();
  await page.getByText('Insurance · 1,000–4,999 employees').waitFor();

  // A second cycle on a model file of one's own: a broken file is refused
  // with its place, a valid one is used.
  await page.getByRole('button', { name: 'New cycle' }).click();
  await page.getByLabel('Name').fill('Custom model trial');
  await page.getByLabel('Maturity model').setInputFiles({ name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from('id: [') });
  await page.getByRole('button', { name: 'Create cycle' }).click();
  await page.getByText(/^broken\.yaml: line \d+, column \d+: /).waitFor();
  await page.getByLabel('Maturity model').setInputFiles(new URL('../../models/cx-maturity.yaml', import.meta.url).pathname);
  await page.getByRole('button', { name: 'Create cycle' }).click();
  await page.getByRole('heading', { name: /Custom model trial/ }).waitFor();
  await page.getByText('Customer Experience Maturity 2.2.0 · 49 statements, about 8 min').waitFor();
  await page.getByRole('link', { name: 'Acme Insurance' }).click();

  // Log out and back in; the next address is kept.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  await page.goto(server.url + '/orgs/nonexistent');
  await page.waitForURL('**/login?next=*');
  await assertAccessible(page, 'log-in');
  await screenshot(page, 'login-desktop');
  await page.getByLabel('E-mail').fill('dana@example.com');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('Wrong e-mail or password').waitFor();
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/orgs/nonexistent');
  await page.getByRole('heading', { name: 'Not found' }).waitFor();

  page.assertClean([/status of (401|404|409|422)/]); // expected refusals, shown in the page
});

test('the organization and results pages work on a phone', async () => {
  const admin = new ApiClient(server.url);
  await admin.call('POST', '/api/session', { email: 'dana@example.com', password: 'a long enough password' });
  const page = await openPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
  await page.context().addCookies([{ name: 'cxm_session', value: admin.cookie.split('=')[1], url: server.url }]);
  await page.goto(server.url + '/');
  await page.getByRole('link', { name: 'Acme Insurance' }).click();
  await page.getByRole('link', { name: 'Results of Spring 2027 assessment' }).click();
  await page.getByRole('heading', { name: /^Stage \d of 6: / }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `no horizontal scrolling on a phone (page is ${width}px wide)`);
  await screenshot(page, 'results-phone');
  page.assertClean();
});
