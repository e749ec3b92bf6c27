// Participants answering on a phone: welcome, starting (the link is claimed
// by this browser, which shows a resume code), one competency per page,
// leaving midway and resuming, moving to another device with the code,
// submitting; keyboard only; dark mode; links that do not work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, DESKTOP, PHONE, assertAccessible, launchBrowser, openPage, screenshot, startServer } from './support.mjs';

let server;
let browser;
let admin;
let arranged;
const resumeCodes = {};
const phone = { viewport: PHONE, isMobile: true, hasTouch: true };

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  arranged = await admin.arrange({ links: [{ count: 5, role: 'frontline', unit: 'Service' }] });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const linkUrl = (i) => server.url + arranged.links[i].url;
// The answers saved through link i, as the browser that holds it sees them
// (nobody else can read them).
const saved = async (page, i) =>
  page.evaluate(async (token) => (await (await fetch(`/api/r/${token}`)).json()).answers, arranged.links[i].token);

// Starts the questionnaire: Start claims the link and shows the resume code.
async function start(page) {
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('heading', { name: 'Your resume code' }).waitFor();
  const code = (await page.locator('.code').textContent()).trim();
  assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await page.getByRole('button', { name: 'Go to the statements' }).click();
  return code;
}

test('a participant answers on a phone, leaves midway, resumes and submits', async () => {
  let page = await openPage(browser, phone);
  // The phone downloads the questionnaire's code only, not the facilitator's pages.
  const scripts = [];
  page.on('response', (response) => {
    if (response.url().endsWith('.js')) scripts.push(response.url());
  });
  await page.goto(linkUrl(0));
  // The participant-facing title (none set: the organization's), never the cycle's internal name.
  await page.getByRole('heading', { name: 'Acme Insurance customer-experience assessment' }).waitFor();
  await page.getByText('49 statements').waitFor();
  await page.getByText('about 8 minutes').waitFor();
  await page.getByText('Anonymous.').waitFor();
  // The model's introduction and the details are one tap away.
  await page.getByText('More about this assessment').click();
  await page.getByRole('heading', { name: 'Before you start' }).waitFor();
  await page.getByText(/Think of the last six months/).waitFor();
  await page.getByText('The facilitator sees whether your link has been used, never your answers.').waitFor();
  await assertAccessible(page, 'welcome');
  await screenshot(page, 'participant-welcome-phone');
  assert.ok(scripts.some((url) => url.includes('/assets/ParticipantPage-')), scripts.join(' '));
  assert.ok(!scripts.some((url) => url.includes('/assets/FacilitatorApp-')), scripts.join(' '));
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('heading', { name: 'Your resume code' }).waitFor();
  const code = (await page.locator('.code').textContent()).trim();
  assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await assertAccessible(page, 'resume code');
  await screenshot(page, 'participant-resume-code-phone');
  await page.getByRole('button', { name: 'Go to the statements' }).click();

  // Section 1: every statement answered by tapping.
  await page.getByRole('heading', { name: 'Leadership & strategy' }).waitFor();
  let groups = page.locator('fieldset');
  const firstCount = await groups.count();
  assert.ok(firstCount >= 5);
  for (let i = 0; i < firstCount; i++) {
    await groups.nth(i).getByRole('radio', { name: 'Agree', exact: true }).tap();
  }
  await page.getByText('Answer saved').waitFor();
  await assertAccessible(page, 'question page');
  await screenshot(page, 'participant-question-phone');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `no horizontal scrolling (page is ${width}px wide)`);
  await page.getByRole('button', { name: 'Next' }).click();

  // Section 2: two answers, one of them "Don't know", then the phone is put away.
  await page.getByText('Section 2 of 7').waitFor();
  const second = await page.getByRole('heading', { level: 1 }).textContent();
  await groups.nth(0).getByRole('radio', { name: 'Strongly agree', exact: true }).tap();
  await groups.nth(1).getByRole('radio', { name: "Don't know", exact: true }).tap();
  await page.getByText(`${firstCount + 2} of 49 answered`).waitFor();
  await page.getByText('Answer saved').waitFor();
  const answers = await saved(page, 0);
  assert.equal(Object.keys(answers).length, firstCount + 2);
  assert.equal(Object.values(answers).filter((v) => v === null).length, 1, "don't know is saved as null");
  // The facilitator, who holds the link, sees none of them.
  const peek = await admin.call('GET', `/api/r/${arranged.links[0].token}`);
  assert.equal(peek.claim, 'other');
  assert.deepEqual(peek.answers, {});
  const storageState = await page.context().storageState();
  await page.context().close();

  // Back later on the same phone: the same link resumes in section 2.
  page = await openPage(browser, { ...phone, storageState });
  groups = page.locator('fieldset');
  await page.goto(linkUrl(0));
  await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
  await page.getByText(`You have answered ${firstCount + 2} of 49 statements`).waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: second }).waitFor();
  assert.equal(await groups.nth(0).getByRole('radio', { name: 'Strongly agree', exact: true }).isChecked(), true);

  // Back goes to section 1 with its answers kept; then answer the rest.
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('heading', { name: 'Leadership & strategy' }).waitFor();
  assert.equal(await groups.nth(0).getByRole('radio', { name: 'Agree', exact: true }).isChecked(), true);
  await page.getByRole('button', { name: 'Next' }).click();
  for (let section = 2; section <= 7; section++) {
    await page.getByText(`Section ${section} of 7`).waitFor();
    const n = await groups.count();
    for (let i = 0; i < n; i++) {
      if (!(await groups.nth(i).locator('input:checked').count())) await groups.nth(i).getByRole('radio', { name: 'Disagree', exact: true }).tap();
    }
    await page.getByRole('button', { name: section < 7 ? 'Next' : 'Review and submit' }).click();
  }
  await page.getByRole('heading', { name: 'Ready to submit?' }).waitFor();
  await page.getByText('You answered 49 of 49 statements.').waitFor();
  await screenshot(page, 'participant-review-phone');
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
  await assertAccessible(page, 'thank-you');
  await screenshot(page, 'participant-thanks-phone');

  // Submitted answers are read-only, and no longer shown even here: the
  // link shows the thank-you page again.
  await page.reload();
  await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
  assert.deepEqual(await saved(page, 0), {});
  const cycle = await admin.call('GET', `/api/cycles/${arranged.cycle.id}`);
  assert.equal(cycle.responses.total.submitted, 1);
  page.assertClean();
});

test('a participant completes the questionnaire with the keyboard only', async () => {
  const page = await openPage(browser, { viewport: DESKTOP });
  await page.goto(linkUrl(1));
  await page.getByRole('heading', { name: 'Acme Insurance customer-experience assessment' }).waitFor();
  // Tab to the start button (after the skip of non-interactive content).
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Start');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Your resume code' }).waitFor();
  await page.keyboard.press('Tab'); // the heading has focus; next is the only button
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Go to the statements');
  await page.keyboard.press('Enter');
  let answered = 0;
  for (let section = 1; section <= 7; section++) {
    await page.getByText(`Section ${section} of 7`).waitFor();
    // The page heading has focus; each Tab reaches the next statement's radio group.
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
    const n = await page.locator('fieldset').count();
    for (let i = 0; i < n; i++) {
      await page.keyboard.press('Tab'); // focus lands on the group's first option
      await page.keyboard.press('Space'); // 1
      await page.keyboard.press('ArrowRight'); // 2
      await page.keyboard.press('ArrowRight'); // 3
      answered++;
      await page.getByText(`${answered} of 49 answered`).waitFor();
    }
    await page.keyboard.press('Tab'); // the section's optional comment question
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'TEXTAREA');
    await page.keyboard.press('Tab'); // Back
    await page.keyboard.press('Tab'); // Next / Review and submit
    await page.keyboard.press('Enter');
  }
  await page.getByRole('heading', { name: 'Ready to submit?' }).waitFor();
  await page.keyboard.press('Tab'); // Back
  await page.keyboard.press('Tab'); // Submit
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Submit my answers');
  await page.waitForLoadState('networkidle'); // the last answers' save has landed
  const answers = await saved(page, 1);
  assert.equal(Object.keys(answers).length, 49);
  assert.ok(Object.values(answers).every((v) => v === 3), 'every answer is the third scale point');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
  page.assertClean();
});

test('glossary terms are marked and explained where they appear', async () => {
  const page = await openPage(browser, phone);
  await page.goto(linkUrl(4));
  await start(page);
  await page.getByText('Section 1 of 7').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Customer insight' }).waitFor();
  // "customer journeys" in a statement: marked, with the definition as a
  // tooltip and once as a footnote of the section.
  const term = page.locator('legend .term', { hasText: 'customer journeys' });
  assert.match(await term.getAttribute('title'), /^The steps a customer goes through/);
  const footnotes = page.locator('dl.terms dt', { hasText: /^customer journey$/ });
  assert.equal(await footnotes.count(), 1);
  await page.getByText(/^The steps a customer goes through to get one thing done/).first().waitFor();
  const group = page.locator('fieldset', { has: term });
  assert.ok((await group.getAttribute('aria-describedby'))?.startsWith('terms-'));
  await page.locator('dl.terms dt', { hasText: 'voice of the customer' }).waitFor();
  await assertAccessible(page, 'statements with glossary terms');
  await screenshot(page, 'participant-glossary-phone');
  page.assertClean();
  await page.context().close();
});

test('the questionnaire in dark mode is accessible', async () => {
  const page = await openPage(browser, { ...phone, colorScheme: 'dark' });
  await page.goto(linkUrl(2));
  await start(page);
  await page.locator('fieldset').first().getByRole('radio', { name: 'Neither agree nor disagree', exact: true }).tap();
  await page.getByText('Answer saved').waitFor();
  await assertAccessible(page, 'question page, dark');
  await screenshot(page, 'participant-question-phone-dark');
  page.assertClean();
});

test('quick changes of mind are saved in order, even on a slow network', async () => {
  const page = await openPage(browser, phone);
  // The first save takes long; answers given meanwhile must not overtake it.
  let first = true;
  await page.route('**/api/r/*/answers', async (route) => {
    if (first) {
      first = false;
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    await route.continue();
  });
  await page.goto(linkUrl(3));
  const code = await start(page);
  const item = page.locator('fieldset').first();
  for (const name of ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree']) {
    await item.getByRole('radio', { name, exact: true }).tap();
  }
  await page.getByText('Answer saved').waitFor();
  await page.waitForLoadState('networkidle'); // every request has landed
  const answers = await saved(page, 3);
  assert.deepEqual(Object.values(answers), [4], 'the last choice is the one saved');
  page.assertClean();
  resumeCodes[3] = code;
});

test('on another device the link opens only with its resume code', async () => {
  const laptop = await openPage(browser, { viewport: DESKTOP });
  await laptop.goto(linkUrl(3));
  await laptop.getByRole('heading', { name: 'Continue with your resume code' }).waitFor();
  assert.equal(await laptop.getByRole('radio').count(), 0, 'no statements, no answers');
  await laptop.getByLabel('Resume code').fill('AAAA-AAAA');
  await laptop.getByRole('button', { name: 'Continue here' }).click();
  await laptop.getByText('that resume code does not match this link').waitFor();
  await assertAccessible(laptop, 'resume with a code');
  await screenshot(laptop, 'participant-resume-desktop');
  await laptop.getByLabel('Resume code').fill(resumeCodes[3].toLowerCase().replace('-', ' '));
  await laptop.getByRole('button', { name: 'Continue here' }).click();
  // A new code replaces the one typed.
  await laptop.getByRole('heading', { name: 'Your resume code' }).waitFor();
  assert.notEqual((await laptop.locator('.code').textContent()).trim(), resumeCodes[3]);
  await laptop.getByRole('button', { name: 'Go to the statements' }).click();
  await laptop.getByText('Section 1 of 7').waitFor();
  assert.equal(await laptop.locator('fieldset').first().getByRole('radio', { name: 'Agree', exact: true }).isChecked(), true);
  laptop.assertClean([/status of 422/]);
  await laptop.context().close();
});

test('when the questionnaire code cannot load, the page says so and offers a reload', async () => {
  const page = await openPage(browser, phone);
  let blocked = true;
  await page.route('**/assets/ParticipantPage-*', (route) => (blocked ? route.abort() : route.continue()));
  await page.goto(linkUrl(3));
  await page.getByRole('heading', { name: 'cxm could not load' }).waitFor();
  await assertAccessible(page, 'load failure');
  await screenshot(page, 'participant-load-failed-phone');
  blocked = false;
  await page.getByRole('button', { name: 'Reload the page' }).click();
  // Link 3 was started in another browser.
  await page.getByRole('heading', { name: 'Continue with your resume code' }).waitFor();
  page.assertClean([/ERR_FAILED/, /dynamically imported module/]);
  await page.context().close();
});

test('broken, revoked and closed links explain themselves', async () => {
  const page = await openPage(browser, phone);
  await page.goto(server.url + '/r/0123456789abcdef0123456789abcdef');
  await page.getByRole('heading', { name: 'We cannot open this assessment' }).waitFor();
  await page.getByText('This link is not valid').waitFor();
  await assertAccessible(page, 'invalid link');

  await admin.call('POST', `/api/cycles/${arranged.cycle.id}/close`);
  await page.goto(linkUrl(2));
  await page.getByRole('heading', { name: 'This assessment is closed' }).waitFor();
  await screenshot(page, 'participant-closed-phone');
  await admin.call('POST', `/api/cycles/${arranged.cycle.id}/open`);
  page.assertClean([/status of 404/]);
});
