// The report's German HTML printed (issue 26): a cycle in German and
// English whose respondents answered in German; its printable report read
// with ?lang=de in Chromium, German throughout (the report's own words and
// the model's), printed to an A4 PDF of a sane number of pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, assertAccessible, launchBrowser, openPage, screenshot, screenshotDir, startServer } from './support.mjs';

const MODEL = `id: mini
version: "1"
title: Mini model
scale: {min: 1, max: 5, labels: [Never, Rarely, Sometimes, Often, Always]}
threshold: 60
roles:
  - {id: manager, name: Manager}
  - {id: frontline, name: Frontline employee}
stages:
  - {number: 1, id: one, name: Ignore, description: Customers are an afterthought., obstacle: Nobody owns the customer.}
  - {number: 2, id: two, name: Explore, description: First steps are taken., obstacle: Efforts stay isolated.}
  - {number: 3, id: three, name: Embed, description: Customer focus is how work is done., obstacle: Keeping it alive.}
competencies:
  - {id: care, name: Care}
  - {id: lead, name: Leadership}
items:
  - {id: C2, competency: care, stage: 2, text: We care for customers.}
  - {id: C3, competency: care, stage: 3, text: Every team knows its customers.}
  - {id: L2, competency: lead, stage: 2, text: Leaders talk about customers.}
  - {id: L3, competency: lead, stage: 3, text: Leaders decide with customer data.}
`;

const GERMAN = `language: de
model: mini
version: "1"
title: Mini-Modell
scale: {labels: [Nie, Selten, Manchmal, Oft, Immer]}
roles:
  manager: Führungskraft
  frontline: Mitarbeitende mit Kundenkontakt
stages:
  one: {name: Ignorieren, description: Kundschaft ist ein Nachgedanke., obstacle: Niemand ist für die Kundschaft verantwortlich.}
  two: {name: Erkunden, description: Erste Schritte sind gemacht., obstacle: Einzelne Initiativen bleiben isoliert.}
  three: {name: Verankern, description: Kundenorientierung prägt die Arbeit., obstacle: Sie lebendig halten.}
competencies:
  care: {name: Fürsorge}
  lead: {name: Führung}
items:
  C2: Wir kümmern uns um unsere Kundschaft.
  C3: Jedes Team kennt seine Kundschaft.
  L2: Führungskräfte sprechen über die Kundschaft.
  L3: Führungskräfte entscheiden mit Kundendaten.
`;

let server;
let browser;
let admin;
let cycle;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  const org = await admin.call('POST', '/api/orgs', { name: 'Müller & Söhne', units: ['Vertrieb', 'Service'] });
  cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, {
    name: 'Frühjahr 2027',
    anonymous: false,
    min_group_size: 3,
    model_yaml: MODEL,
    translations: { de: GERMAN },
    languages: ['de', 'en'],
  });
  const links = [];
  for (const [role, unit] of [['manager', 'Vertrieb'], ['frontline', 'Service']]) {
    links.push(...(await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, { count: 4, role, unit })).invitations);
  }
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
  // Nobody chose a language: they count under the cycle's default, German.
  for (const [n, link] of links.entries()) await admin.answerAll(link.token, (i) => 1 + ((n + i) % 5));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the report's German HTML reads German throughout and prints", async () => {
  const json = await admin.call('GET', `/api/cycles/${cycle.id}/report?lang=de`);
  assert.equal(json.lang, 'de');
  assert.deepEqual(json.languages, [{ lang: 'de', respondents: 8 }]);
  const unoffered = await fetch(`${server.url}/api/cycles/${cycle.id}/report.html?lang=fr`, { headers: { cookie: admin.cookie } });
  assert.equal(unoffered.status, 422);

  const page = await openPage(browser, { viewport: { width: 1440, height: 900 } });
  await page.context().addCookies([{ name: 'cxm_session', value: admin.cookie.split('=')[1], url: server.url }]);
  await page.goto(`${server.url}/api/cycles/${cycle.id}/report.html?lang=de`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'de');
  await page.getByRole('heading', { name: 'Zusammenfassung' }).waitFor();
  for (const heading of ['Die Stufenleiter', 'Kompetenzen', 'Gruppen', 'Methodik']) {
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
  }
  const headings = await page.locator('h1, h2, h3, th, dt').allTextContents();
  for (const english of ['Summary', 'The stage ladder', 'Competencies', 'Groups', 'Methods', 'Respondents', 'Competency', 'Score', 'By role']) {
    assert.ok(!headings.includes(english), `no English "${english}" left`);
  }
  const text = await page.locator('main').innerText();
  for (const german of ['Fürsorge', 'Führung', 'Führungskraft', 'Sprachen der Antworten: Deutsch 8.', 'Befragte', 'von 100']) {
    assert.ok(text.includes(german), `the page says "${german}"`);
  }
  // A German decimal comma in the text, never a decimal point.
  assert.match(text, /α \d,\d\d/);
  assert.doesNotMatch(text, /α \d\.\d\d/);
  await assertAccessible(page, 'German printable report');
  await screenshot(page, 'report-de-1440');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'report-de-390');

  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.ok(pages >= 2 && pages <= 8, `the German report prints on ${pages} pages`);
  mkdirSync(screenshotDir, { recursive: true });
  writeFileSync(join(screenshotDir, 'report-de.pdf'), pdf);
  // Without ?lang= the page is in the cycle's default language, German.
  await page.goto(`${server.url}/api/cycles/${cycle.id}/report.html`);
  await page.getByRole('heading', { name: 'Zusammenfassung' }).waitFor();
  await page.goto(`${server.url}/api/cycles/${cycle.id}/report.html?lang=en`);
  await page.getByRole('heading', { name: 'Summary' }).waitFor();
  page.assertClean();
});
