// The change at the same mix of roles on the progress page (SPEC section
// 3): two anonymous cycles where executives (who rate higher) answered
// three times as much the second time and nothing moved inside a role. The
// plain change says "improved"; the page leads with the change at the same
// mix of roles, says why the two differ, shows both cycles' role shares and
// the flag, beside the plain change in the competency table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, assertAccessible, launchBrowser, signedInPage, screenshot, startServer } from './support.mjs';
import { Contract, loadDocument } from './contract.mjs';

let server;
let browser;
let admin;
let org;
let autumn;

// A closed anonymous cycle answered by `executives` executives (4 or 5 on
// every statement) and `frontline` frontline employees (1 or 2).
async function answeredCycle(orgId, name, executives, frontline) {
  const cycle = await admin.call('POST', `/api/orgs/${orgId}/cycles`, { name, min_group_size: 3 });
  const links = [
    ...(await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, { count: executives, role: 'executive', unit: 'Sales' })).invitations,
    ...(await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, { count: frontline, role: 'frontline', unit: 'Service' })).invitations,
  ];
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
  for (const [j, link] of links.entries()) {
    const high = j < executives;
    await admin.answerAll(link.token, (i) => ((i + j) % 2 ? (high ? 5 : 2) : high ? 4 : 1));
  }
  await admin.call('POST', `/api/cycles/${cycle.id}/close`);
  return cycle;
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  org = await admin.call('POST', '/api/orgs', { name: 'Acme Insurance', industry: 'Insurance', size_band: '250–999', units: ['Sales', 'Service'] });
  await answeredCycle(org.id, 'Spring 2027', 3, 9);
  autumn = await answeredCycle(org.id, 'Autumn 2027', 9, 3);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const signed = (v) => `${v > 0 ? '+' : ''}${v.toFixed(1)}`;

test('the progress page leads with the change at the same mix of roles when more executives answered', async () => {
  const progress = await admin.call('GET', `/api/orgs/${org.id}/progress`);
  // As the OpenAPI document says, role_balanced included.
  new Contract(loadDocument()).checkResponse('get', '/api/orgs/{org}/progress', 200, progress);
  const change = progress.cycles[1].change.overall;
  const b = change.role_balanced;
  assert.equal(change.verdict, 'improved', JSON.stringify(change));
  assert.ok(b, JSON.stringify(change));
  assert.equal(b.verdict, 'no clear change');
  assert.equal(b.flagged, true);
  assert.deepEqual(b.roles.map((r) => [r.role, r.share_before, r.share_after]), [['executive', 0.25, 0.75], ['frontline', 0.75, 0.25]]);

  for (const [viewport, name] of [[{ width: 1440, height: 900 }, 'progress-balanced-desktop'], [{ width: 390, height: 844 }, 'progress-balanced-phone']]) {
    const page = await signedInPage(browser, server, admin, { viewport });
    await page.goto(`${server.url}/orgs/${org.id}/progress`);
    await page.getByRole('heading', { name: 'Latest change' }).waitFor();
    // The headline: the balanced change and verdict, then why the plain one misleads.
    const card = page.locator('section[aria-labelledby="change-title"]');
    assert.match((await card.locator('.big').textContent()).trim(), new RegExp(`^${signed(b.change).replace('+', '\\+')} points no clear change`));
    const lead = await card.getByTestId('balanced-lead').textContent();
    assert.ok(lead.includes(`At the same mix of roles (95% CI ${b.ci_low.toFixed(1)} to ${b.ci_high.toFixed(1)})`), lead);
    assert.ok(
      lead.includes(`The plain change, ${signed(change.change)} (improved), mixes progress with who answered: the share of Executive respondents rose from 25% to 75%.`),
      lead,
    );
    // Flagged: the lead says why, so the badge stands alone.
    assert.match(await card.locator('.flag-badge').textContent(), /flagged/);
    assert.equal(await card.getByTestId('balanced-flag').count(), 0);
    // Both cycles' role shares.
    const mix = page.getByTestId('role-mix');
    await mix.getByRole('columnheader', { name: 'Spring 2027' }).waitFor();
    const executives = await mix.locator('tbody tr', { has: page.getByRole('rowheader', { name: 'Executive' }) }).locator('td').allTextContents();
    assert.deepEqual(executives, ['25%', '75%', '+50']);
    // The competency table: the plain change and, beside it, the balanced one with its flag.
    const row = await page.locator('tbody tr.overall').locator('td').allTextContents();
    assert.ok(row.at(-2).startsWith(`${signed(change.change)} (improved)`), row.at(-2));
    assert.ok(row.at(-1).includes(`${signed(b.change)} no clear change`), row.at(-1));
    assert.ok(row.at(-1).includes('⚑'), row.at(-1));
    await assertAccessible(page, 'the progress page with the change at the same mix of roles');
    await screenshot(page, name);
    page.assertClean();
    await page.context().close();
  }
});

test("the report's summary leads with the change at the same mix of roles and its change section shows the shares", async () => {
  for (const [viewport, name] of [[{ width: 1440, height: 900 }, 'report-balanced-desktop'], [{ width: 390, height: 844 }, 'report-balanced-phone']]) {
    const page = await signedInPage(browser, server, admin, { viewport });
    await page.goto(`${server.url}/api/cycles/${autumn.id}/report.html`);
    await page.getByRole('heading', { name: 'Change since Spring 2027' }).waitFor();
    const text = await page.locator('body').textContent();
    assert.match(text, /Since Spring 2027, at the same mix of roles the overall score shows no clear change \([-+]?\d+\.\d; 95% interval /);
    assert.ok(text.includes('mixes progress with who answered: the share of Executive respondents rose from 25% to 75%.'), 'the summary says why');
    const shares = page.locator('h3:has-text("Who answered") + table');
    assert.deepEqual(await shares.locator('tbody tr').first().locator('td').allTextContents(), ['Executive', '25%', '75%']);
    assert.ok((await page.locator('.tag', { hasText: 'flagged' }).count()) >= 1);
    await screenshot(page, name);
    await page.context().close();
  }
});
