// The facilitator's pages follow the user's language setting (SPEC section
// 4.8): a browser reading English signs in, switches to Deutsch in the user
// menu, and the organizations, organization and cycle pages speak German;
// the choice is stored on the server (users.lang), so it survives a reload
// and a new session; "Browser language" goes back to the browser's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, assertAccessible, launchBrowser, openPage, screenshot, startServer } from './support.mjs';

const messages = join(dirname(fileURLToPath(import.meta.url)), '../src/messages');
const catalogue = (lang, area) => JSON.parse(readFileSync(join(messages, lang, `${area}.json`), 'utf8'));

// The English texts of the set-up area and the shared words that German
// says differently: none of them may be left on a German page.
const englishOnly = new Set();
for (const area of ['setup', 'common']) {
  const en = catalogue('en', area);
  const de = catalogue('de', area);
  for (const [key, text] of Object.entries(en)) if (de[key] !== text && !/[{}]/.test(text)) englishOnly.add(text);
}

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let server;
let browser;
let arranged;
let admin;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  arranged = await admin.arrange({ links: [{ count: 3, role: 'executive' }] });
  // Names with umlauts: the server lists them by bytes, people by the alphabet.
  await admin.call('POST', '/api/orgs', { name: 'Zander AG' });
  await admin.call('POST', '/api/orgs', { name: 'Ärztekammer Nord' });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// Every visible heading, button, link styled as a button, label and table
// heading on the page: none reads as the English catalogue does.
async function assertNoEnglish(page, where) {
  const texts = await page.evaluate(() =>
    [...document.querySelectorAll('h1, h2, h3, h4, button, a.button, label, th, legend, summary, dt')]
      .filter((el) => el.getClientRects().length > 0)
      // The response counts are the results area's (converted apart).
      .filter((el) => !el.closest('[aria-labelledby="responses-title"]'))
      .map((el) => [el.getAttribute('aria-label') ?? '', el.textContent ?? ''])
      .flat()
      .map((t) => t.replace(/\s+/g, ' ').trim())
      .filter(Boolean),
  );
  assert.ok(texts.length > 5, `${where}: the page shows texts`);
  const english = texts.filter((t) => englishOnly.has(t));
  assert.deepEqual(english, [], `${where}: texts still in English`);
}

// No text wider than its box: long German words must not break the layout.
// `wholePage`: the page itself is no wider than the window (the cycle
// page's response counts, not part of this area, are wider on a phone).
async function assertNothingOverflows(page, where, { wholePage = true } = {}) {
  const overflowing = await page.evaluate((wholePage) => {
    const out = [];
    if (wholePage && document.documentElement.scrollWidth > window.innerWidth + 1)
      out.push(`page ${document.documentElement.scrollWidth}px wide`);
    for (const el of document.querySelectorAll('h1, h2, h3, button, a.button, label, legend, dt, dd, th')) {
      if (el.closest('.table, table, [role="region"]')) continue; // tables scroll in their own region
      if (el.getClientRects().length && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow === 'visible') {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1) out.push(`${el.tagName} "${el.textContent.trim().slice(0, 40)}" ends at ${Math.round(r.right)}px`);
      }
    }
    return out;
  }, wholePage);
  assert.deepEqual(overflowing, [], `${where}: nothing overflows`);
}

test('a facilitator switches to Deutsch and the set-up pages speak German, after a reload too', async () => {
  const page = await openPage(browser, { viewport: WIDE, locale: 'en-US' });
  await page.goto(server.url + '/');
  await page.getByLabel('E-mail').fill(arranged.email);
  await page.getByLabel('Password').fill(arranged.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');

  // The user menu: English, Deutsch, the browser's language.
  await page.getByText('Dana Lead').click();
  await page.getByRole('radio', { name: 'Browser language' }).waitFor();
  assert.equal(await page.getByRole('radio', { name: 'Browser language' }).isChecked(), true, 'nothing chosen yet');
  await assertAccessible(page, 'user menu');
  await page.getByRole('radio', { name: 'Deutsch' }).check();

  await page.getByRole('heading', { name: 'Organisationen', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  assert.equal(await page.title(), 'Organisationen · cxm');
  await page.getByRole('button', { name: 'Neue Organisation' }).waitFor();
  await page.getByText('Aktuelle Stufe').first().waitFor();
  assert.deepEqual(await page.locator('.org-card h2').allTextContents(), ['Acme Insurance', 'Ärztekammer Nord', 'Zander AG']);
  await assertNoEnglish(page, 'organizations');
  await assertNothingOverflows(page, 'organizations');
  await assertAccessible(page, 'organizations in German');
  await screenshot(page, 'de-organizations-1440');

  // The organization: its cycles, its settings, the form for a new cycle.
  await page.getByRole('link', { name: 'Acme Insurance' }).click();
  await page.getByRole('heading', { name: 'Einheiten und Einstellungen' }).waitFor();
  await page.getByRole('heading', { name: 'Erhebungen' }).waitFor();
  await page.getByText('Versicherungen').waitFor(); // the industry, stored in English, read in German
  await page.getByText('250–999 Beschäftigte').waitFor();
  await page.getByRole('button', { name: 'Neue Erhebung' }).click();
  await page.getByRole('heading', { name: 'Neue Erhebung' }).waitFor();
  await page.getByLabel(/^Mindestgruppengröße/).waitFor();
  await assertNoEnglish(page, 'organization');
  await assertNothingOverflows(page, 'organization');
  await assertAccessible(page, 'organization in German');
  await screenshot(page, 'de-organization-1440');

  // A new cycle in the model's languages, the first ticked the default;
  // the cycle page names them.
  const offered = (await admin.call('GET', `/api/cycles/${arranged.cycle.id}`)).model.languages;
  assert.deepEqual(offered, ['en', 'de'], 'the built-in model comes in English and German');
  assert.equal(await page.getByRole('checkbox', { name: 'English' }).isChecked(), true, 'the model language by default');
  assert.equal(await page.getByRole('checkbox', { name: 'Deutsch' }).isChecked(), false);
  // German ticked first becomes the default.
  await page.getByRole('checkbox', { name: 'English' }).uncheck();
  await page.getByRole('checkbox', { name: 'Deutsch' }).check();
  await page.getByRole('checkbox', { name: 'English' }).check();
  assert.equal(await page.getByRole('checkbox', { name: 'Deutsch Standard' }).count(), 1);
  await page.getByRole('button', { name: 'Erhebung anlegen' }).click();
  await page.getByRole('heading', { name: /^Erhebung [A-ZÄÖÜ][a-zäöü]+ 20\d\d/, level: 1 }).waitFor();
  assert.equal((await page.getByTestId('cycle-languages').textContent()).trim(), 'Sprachen: Deutsch (Standard), English');
  const created = (await admin.call('GET', `/api/orgs/${arranged.org.id}/cycles`)).cycles.find((c) => c.id !== arranged.cycle.id);
  assert.deepEqual(created.languages, ['de', 'en'], 'German first: the default');
  await page.getByRole('link', { name: 'Acme Insurance' }).click();
  await page.getByRole('heading', { name: 'Erhebungen' }).waitFor();

  // The cycle: its state, its links, its e-mail.
  await page.getByRole('link', { name: 'Spring 2027 assessment', exact: true }).click();
  await page.getByRole('heading', { name: 'Links für Teilnehmende' }).waitFor();
  await page.getByRole('button', { name: 'Erhebung abschließen' }).waitFor();
  await page.getByRole('heading', { name: 'Links erstellen' }).waitFor();
  await page.getByText('Alle Links (3)').waitFor();
  await assertNoEnglish(page, 'cycle');
  await assertNothingOverflows(page, 'cycle');
  await screenshot(page, 'de-cycle-1440');

  // A reload asks the server again: still German.
  await page.reload();
  await page.getByRole('heading', { name: 'Links für Teilnehmende' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  await assertNoEnglish(page, 'cycle after a reload');

  // On a phone, the same German pages fit.
  await page.setViewportSize(PHONE);
  await page.getByRole('heading', { name: 'Links für Teilnehmende' }).waitFor();
  await assertNothingOverflows(page, 'cycle on a phone', { wholePage: false });
  await screenshot(page, 'de-cycle-390');
  await page.goto(server.url + '/');
  await page.getByRole('heading', { name: 'Organisationen', level: 1 }).waitFor();
  await assertNothingOverflows(page, 'organizations on a phone');
  await screenshot(page, 'de-organizations-390');
  await page.getByRole('link', { name: 'Acme Insurance' }).click();
  await page.getByRole('heading', { name: 'Einheiten und Einstellungen' }).waitFor();
  await assertNothingOverflows(page, 'organization on a phone');
  await screenshot(page, 'de-organization-390');

  // Back to the browser's language (English here), stored as such.
  await page.setViewportSize(WIDE);
  await page.locator('summary').filter({ hasText: 'Dana Lead' }).click();
  await page.getByRole('radio', { name: 'Sprache des Browsers' }).check();
  await page.getByRole('heading', { name: 'Units and settings' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  page.assertClean([/status of 401/]); // the look at the session before signing in
});

test('a browser reading German shows German before any choice, and a choice of English wins', async () => {
  assert.equal((await admin.call('GET', '/api/session')).lang, '');

  const page = await openPage(browser, { viewport: WIDE, locale: 'de-DE' });
  await page.goto(server.url + '/login');
  await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
  await page.getByLabel('E-Mail').fill(arranged.email);
  await page.getByLabel('Passwort').fill(arranged.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { name: 'Organisationen', level: 1 }).waitFor();

  await page.locator('summary').filter({ hasText: 'Dana Lead' }).click();
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
  assert.equal((await admin.call('GET', '/api/session')).lang, 'en');
  await page.reload();
  await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  page.assertClean([/status of 401/]); // the look at the session before signing in
});
