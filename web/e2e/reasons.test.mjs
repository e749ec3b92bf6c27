// Issue 23, items 1 and 12: every hidden figure says its true reason, and
// participants see the cycle's participant-facing title, not its name.
//
// One Digital respondent (k = 3) hides every unit: Digital has fewer than
// 3 people, and showing Retail stores' 6 would reveal Digital's 1 by
// subtraction from the whole. Roles (4 executives, 3 frontline) can be shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, DESKTOP, assertAccessible, launchBrowser, openPage, screenshot, signedInPage, startServer } from './support.mjs';

const PHONE_TALL = { width: 390, height: 844 };
let server, browser, admin, arranged;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  arranged = await admin.arrange({
    units: ['Retail stores', 'Digital'],
    links: [
      { count: 3, role: 'executive', unit: 'Retail stores' },
      { count: 3, role: 'frontline', unit: 'Retail stores' },
      { count: 1, role: 'executive', unit: 'Digital' },
      { count: 1, role: 'frontline', unit: 'Retail stores' }, // left unanswered: for the participant pages
    ],
  });
  await admin.call('PATCH', `/api/orgs/${arranged.org.id}`, { stage_rollup: 'weakest_unit' });
  const answered = arranged.links.slice(0, 7);
  for (const [n, link] of answered.entries()) await admin.answerAll(link.token, (i) => 1 + ((i + n * 2) % 5));
  await admin.call('POST', `/api/cycles/${arranged.cycle.id}/close`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const SUBTRACTION = /Retail stores[^]*large enough, but showing it would let the answers of a group of fewer than 3 people in Digital be worked out by subtraction/;

test('the results page gives each hidden unit its own reason, and the roll-up says what was applied', async () => {
  const report = await admin.call('GET', `/api/cycles/${arranged.cycle.id}/report`);
  const units = Object.fromEntries(report.segments.unit.map((u) => [u.value, u]));
  assert.equal(units.Digital.hidden.code, 'fewer_than_k');
  assert.equal(units['Retail stores'].hidden.code, 'reveals_smaller_group');
  assert.equal(units['Retail stores'].hidden.group.name, 'Digital');
  assert.equal(report.stage_rollup.applied, 'pooled_no_unit_shown');
  for (const viewport of [DESKTOP, { width: 1920, height: 1080 }, { width: 1440, height: 900 }, PHONE_TALL]) {
    const page = await signedInPage(browser, server, admin, { viewport });
    await page.goto(`${server.url}/cycles/${arranged.cycle.id}/results`);
    const rollup = page.locator('.rollup');
    await rollup.waitFor();
    const statement = await rollup.textContent();
    assert.doesNotMatch(statement, /no unit has enough respondents/);
    assert.match(statement, /meant to be its weakest unit's, but no unit can be shown/);
    assert.match(statement, /Digital has fewer than 3 respondents/);
    assert.match(statement, /Retail stores would let the answers of a group of fewer than 3 people in Digital be worked out by subtraction/);
    const byUnit = page.getByRole('region', { name: 'By unit' });
    await byUnit.getByText('Hidden: fewer than 3 people answered').waitFor();
    assert.match(await byUnit.textContent(), SUBTRACTION);
    await screenshot(page, `reasons-results-${viewport.width}`);
    if (viewport === DESKTOP) await assertAccessible(page, 'results with hidden units');
    page.assertClean();
    await page.context().close();
  }
});

test("a role's own view says whose answers are pooled", async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/cycles/${arranged.cycle.id}/results?role=executive`);
  const rollup = page.locator('.rollup');
  await rollup.waitFor();
  const statement = await rollup.textContent();
  assert.doesNotMatch(statement, /everyone's answers pooled/);
  assert.match(statement, /the answers of Executives alone/);
  page.assertClean();
  await page.context().close();
});

test('the discussion lists each hidden group with its own reason', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/cycles/${arranged.cycle.id}/discussion`);
  const hidden = page.locator('.hidden-groups');
  await hidden.waitFor();
  const text = await hidden.textContent();
  assert.doesNotMatch(text, /Too few answers to show: Retail stores/);
  assert.match(text, /Digital: fewer than 3 people answered/);
  assert.match(text, SUBTRACTION);
  // Statistics in plain words first.
  assert.doesNotMatch(await page.locator('#reliability-title').locator('..').locator('thead').textContent(), /rwg|Alpha/);
  await screenshot(page, 'reasons-discussion-desktop');
  page.assertClean();
  await page.context().close();
});

test("the organization card does not claim the weakest unit's stage when no unit can be shown", async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/`);
  const card = page.locator('.org-card', { hasText: arranged.org.name });
  await card.getByText("everyone's answers pooled, since no unit can be shown").waitFor();
  assert.doesNotMatch(await card.textContent(), /the weakest unit's stage/);
  page.assertClean();
  await page.context().close();
});

test('participants see the title, never the internal name; Start is on the first screen of a phone', async () => {
  const token = arranged.links[7].token;
  // Without a title: the organization's name and a neutral title.
  let q = await new ApiClient(server.url).call('GET', `/api/r/${token}`);
  assert.equal(q.cycle.title, 'Acme Insurance customer-experience assessment');
  assert.notEqual(q.cycle.name, arranged.cycle.name);
  // A title set on the closed cycle (the title alone may change in any status).
  const updated = await admin.call('PATCH', `/api/cycles/${arranged.cycle.id}`, { title: 'How we serve our customers' });
  assert.equal(updated.title, 'How we serve our customers');
  await admin.call('POST', `/api/cycles/${arranged.cycle.id}/open`);
  q = await new ApiClient(server.url).call('GET', `/api/r/${token}`);
  assert.equal(q.cycle.title, 'How we serve our customers');
  const page = await openPage(browser, { viewport: PHONE_TALL });
  await page.goto(`${server.url}/r/${token}`);
  await page.getByRole('heading', { name: 'How we serve our customers' }).waitFor();
  assert.doesNotMatch(await page.locator('body').textContent(), new RegExp(arranged.cycle.name));
  const start = page.getByRole('button', { name: 'Start' });
  const box = await start.boundingBox();
  assert.ok(box && box.y + box.height <= PHONE_TALL.height, `Start is above the fold (bottom at ${box && box.y + box.height})`);
  await page.getByText('More about this assessment').waitFor();
  await screenshot(page, 'participant-welcome-390');
  await assertAccessible(page, 'the compact welcome');
  // Started here; in another browser the page says what happened and what to do.
  await start.click();
  await page.getByRole('heading', { name: 'Your resume code' }).waitFor();
  const other = await openPage(browser, { viewport: PHONE_TALL });
  await other.goto(`${server.url}/r/${token}`);
  await other.getByRole('heading', { name: 'Continue with your resume code' }).waitFor();
  assert.match(await other.locator('.card').textContent(), /already started this assessment with this link/);
  const input = other.getByLabel('Resume code');
  const style = await input.evaluate((el) => {
    const s = getComputedStyle(el);
    return { minHeight: s.minHeight, radius: s.borderTopLeftRadius, width: el.getBoundingClientRect().width };
  });
  assert.equal(style.minHeight, '44px', 'the resume code input has the design system style');
  assert.notEqual(style.radius, '0px');
  await screenshot(other, 'participant-resume-390');
  page.assertClean();
  other.assertClean([/status of 409/]);
  await page.context().close();
  await other.context().close();
});

test('the cycle form has a participant title; the model file picker is styled', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: DESKTOP });
  await page.goto(`${server.url}/orgs/${arranged.org.id}`);
  await page.getByRole('button', { name: 'New cycle' }).click();
  const title = page.getByLabel(/Title for participants/);
  await title.waitFor();
  const picker = page.locator('#new-cycle-model');
  const button = await picker.evaluate((el) => getComputedStyle(el, '::file-selector-button').borderTopLeftRadius);
  assert.notEqual(button, '0px');
  const name = await page.getByLabel('Name', { exact: true }).inputValue();
  assert.doesNotMatch(name, /Spring|Autumn|Summer|Winter/);
  await screenshot(page, 'cycle-form-title-desktop');
  page.assertClean();
  await page.context().close();
});

test('the plan editor takes the page width, not a board column', async () => {
  await admin.call('POST', `/api/orgs/${arranged.org.id}/actions`, { title: 'Call five customers who complained' });
  for (const viewport of [{ width: 1440, height: 900 }, PHONE_TALL]) {
    const page = await signedInPage(browser, server, admin, { viewport });
    await page.goto(`${server.url}/orgs/${arranged.org.id}/plan`);
    await page.getByRole('button', { name: /Edit/ }).first().click();
    const title = page.getByLabel('Title', { exact: true });
    await title.waitFor();
    const width = (await title.boundingBox()).width;
    const least = viewport.width > 800 ? 500 : viewport.width - 80;
    assert.ok(width >= least, `the title field is ${width}px wide at ${viewport.width}`);
    await screenshot(page, `plan-editor-${viewport.width}`);
    page.assertClean();
    await page.context().close();
  }
});

test('progress says what its action count counts, and sparklines carry their values', async () => {
  const page = await signedInPage(browser, server, admin, { viewport: { width: 1440, height: 900 } });
  await page.goto(`${server.url}/orgs/${arranged.org.id}/progress`);
  const actions = page.locator('#actions-title').locator('..');
  await actions.getByText('0 of 1 done').waitFor();
  assert.match(await actions.textContent(), /1 action on the plan: 0 done, 0 in progress, 1 planned\./);
  assert.doesNotMatch(await actions.textContent(), /0 of 0/);
  const ends = await page.locator('.spark .ends').allTextContents();
  assert.ok(ends.length > 0 && ends.every((t) => /^\d/.test(t)), `sparklines show their values: ${ends}`);
  await page.locator('#trend-title').scrollIntoViewIfNeeded();
  await screenshot(page, 'progress-single-cycle-1440');
  page.assertClean();
  await page.context().close();
});
