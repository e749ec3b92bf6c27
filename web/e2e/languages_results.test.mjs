// The facilitator's results side in a German browser (issue 26): the
// results, benchmark, progress and projector pages of the demo organization
// speak German (navigator.languages is German, which i18n.svelte.ts
// follows): German headings, German numbers, and no message of the results
// catalogue in English. Texts the server sends (the model's statements and
// names, its own reasons) stay as the server sends them. Screenshots at
// 1440x900 and 390x844; nothing of the results area may overflow a card, a
// table's region or the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, assertAccessible, launchBrowser, screenshot, signedInPage, startServer } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const english = JSON.parse(readFileSync(join(here, '../src/messages/en/results.json'), 'utf8'));
const german = JSON.parse(readFileSync(join(here, '../src/messages/de/results.json'), 'utf8'));

const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

// The English messages a German page must not show: each message's literal
// parts (between its placeholders and plural branches), where the German
// differs. Whole short messages ("Strengths") are matched against whole
// element texts; long fragments anywhere in the page's text.
const literalParts = (message) =>
  message
    .replace(/\{[^{}]*\{[^{}]*\}[^{}]*\}/g, '\u0000') // plural/select arguments, one level deep
    .replace(/\{[^{}]*\{[^{}]*\}[^{}]*\}/g, '\u0000')
    .replace(/\{[^{}]*\}/g, '\u0000')
    .split('\u0000')
    .map((part) => part.trim())
    .filter(Boolean);
const shortMessages = new Set();
const longFragments = new Set();
for (const [key, message] of Object.entries(english)) {
  if (german[key] === message) continue;
  if (!/[{]/.test(message) && /\p{L}{3}/u.test(message)) shortMessages.add(message.trim());
  for (const part of literalParts(message)) if (part.length >= 24 && !literalParts(german[key]).includes(part)) longFragments.add(part);
}

// What of the results catalogue shows in English on the page: [] when nothing.
// The model's own words (the demo cycle is in English) are not the
// catalogue's: a competency "People & culture" is headed "People".
async function englishOn(page) {
  return page.evaluate(
    ({ shortMessages, longFragments, modelWords }) => {
      const found = [];
      // The page's own content (the application shell around it is another area's).
      const main = document.querySelector('main') ?? document.body;
      const text = main.innerText.replace(/\s+/g, ' ');
      for (const fragment of longFragments) if (text.includes(fragment)) found.push(fragment);
      const whole = new Set(shortMessages);
      for (const el of main.querySelectorAll('h1, h2, h3, th, dt, label, button, a, option, summary, caption, figcaption, legend, .muted, .tag, .badge, span')) {
        const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').replace(/\s+/g, ' ').trim();
        if (own && whole.has(own)) found.push(own);
      }
      for (const el of main.querySelectorAll('[aria-label], [title]')) {
        for (const value of [el.getAttribute('aria-label'), el.getAttribute('title')]) if (value && whole.has(value.trim())) found.push(value);
      }
      return [...new Set(found)].filter((f) => !modelWords.includes(f));
    },
    { shortMessages: [...shortMessages], longFragments: [...longFragments], modelWords: [...modelWords] },
  );
}

// What of the page's content overflows: a card or table region wider than
// its column, a page wider than the screen, or a word cut in a chart label.
async function overflows(page) {
  return page.evaluate(() => {
    const found = [];
    const root = document.scrollingElement;
    if (root.scrollWidth > root.clientWidth + 1) found.push(`the page scrolls sideways: ${root.scrollWidth} in ${root.clientWidth}`);
    for (const card of document.querySelectorAll('.card')) {
      // A table may scroll inside its own region; the card itself may not overflow.
      if (card.scrollWidth > card.clientWidth + 1) found.push(`card "${card.querySelector('h2')?.textContent?.trim()}" overflows by ${card.scrollWidth - card.clientWidth}px`);
    }
    for (const label of document.querySelectorAll('svg text')) {
      const box = (label.closest('.card') ?? label.ownerSVGElement).getBoundingClientRect();
      const r = label.getBoundingClientRect();
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) found.push(`chart label "${label.textContent.trim()}" outside its card`);
    }
    return found;
  });
}

let server;
let browser;
let admin;
let org;
let cycles;
const modelWords = new Set();

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  [org] = (await admin.call('GET', '/api/orgs')).organizations;
  cycles = (await admin.call('GET', `/api/orgs/${org.id}/cycles`)).cycles;
  // A synthetic peer dataset, so that the benchmark page compares.
  const report = await admin.call('GET', `/api/cycles/${cycles[0].id}/report`);
  for (const c of report.competencies) for (const name of [c.name, c.name.split(/[ &]/)[0], c.name.replace(/ &.*$/, '')]) modelWords.add(name);
  for (const s of report.stages) modelWords.add(s.name);
  const ids = report.competencies.map((c) => c.id);
  let csv = `organization,industry,size_band,region,assessed_on,model_id,stage,overall,${ids.join(',')}\n`;
  for (let i = 0; i < 40; i++) {
    const scores = ids.map((_, c) => (20 + ((i * 7 + c * 11) % 61)).toFixed(1));
    csv += `peer-${i},Retail,250-999,EU,2025-${String((i % 12) + 1).padStart(2, '0')}-10,cx-maturity,${1 + (i % 5)},${(20 + i * 1.5).toFixed(1)},${scores.join(',')}\n`;
  }
  await admin.call('POST', '/api/benchmarks', {
    name: 'Demo-Vergleichsgruppe',
    source: 'Generated by the cxm browser test',
    citation: 'cxm test suite (synthetic)',
    licence: 'CC0-1.0',
    published_on: '2025-12-01',
    synthetic: true,
    csv,
  });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// A signed-in page in a German browser.
const germanPage = (viewport) => signedInPage(browser, server, admin, { viewport, locale: 'de-DE' });

// The newest cycle with a report.
async function reportedCycle() {
  for (const c of cycles) {
    const r = await fetch(`${server.url}/api/cycles/${c.id}/report`, { headers: { cookie: admin.cookie } });
    const body = await r.json();
    if (r.ok && body.overall_score !== undefined) return { cycle: c, report: body };
  }
  throw new Error('no cycle of the demo has a report');
}

test('the results page speaks German in a German browser', async () => {
  const { cycle, report } = await reportedCycle();
  for (const [viewport, name] of [
    [LAPTOP, 'de-results-laptop'],
    [PHONE, 'de-results-phone'],
  ]) {
    const page = await germanPage(viewport);
    await page.goto(`${server.url}/cycles/${cycle.id}/results`);
    assert.equal(await page.evaluate(() => navigator.languages[0]), 'de-DE');
    await page.getByRole('heading', { level: 1, name: `Ergebnisse: ${cycle.name}` }).waitFor();
    await page.getByRole('heading', { name: 'Stärken' }).waitFor();
    await page.getByRole('heading', { name: 'Schwächen' }).waitFor();
    await page.getByRole('heading', { name: 'Aussagen und Übereinstimmung' }).waitFor();
    // On a phone the statements' table reads as cards, without its header row.
    if (viewport === LAPTOP) await page.getByRole('columnheader', { name: 'Aussage' }).first().waitFor();
    await page.getByLabel('Ergebnisse zeigen für').waitFor();
    await page.getByRole('button', { name: 'Drucken oder als PDF speichern' }).waitFor();
    // The demo's cycles offer German: the model's texts come in it too, and
    // the downloads are the German report.
    await page.waitForFunction(() => document.body.innerText.includes('Führung & Strategie'));
    assert.ok(!(await page.evaluate(() => document.body.innerText.includes('Leadership & strategy'))));
    assert.match(await page.getByRole('link', { name: 'Bericht herunterladen' }).getAttribute('href'), /[?&]lang=de\b/);
    if (report.stage) {
      await page.getByRole('heading', { name: new RegExp(`^Stufe ${report.stage.number} von ${report.stages.length}: `) }).waitFor();
      await page.getByRole('heading', { name: 'Reifestufen' }).waitFor();
    }
    // Plurals in German: "1 befragte Person", "N Befragte".
    await page.getByText(new RegExp(`${report.respondents.toLocaleString('de-DE')} (befragte Person|Befragte)`)).first().waitFor();
    await screenshot(page, name);
    assert.deepEqual(await englishOn(page), [], 'no English message of the results catalogue');
    assert.deepEqual(await overflows(page), [], 'nothing overflows');
    if (viewport === LAPTOP) await assertAccessible(page, 'the German results page');
    page.assertClean();
    await page.context().close();
  }
});

test('the benchmark page speaks German, numbers included', async () => {
  for (const [viewport, name] of [
    [LAPTOP, 'de-benchmark-laptop'],
    [PHONE, 'de-benchmark-phone'],
  ]) {
    const page = await germanPage(viewport);
    await page.goto(`${server.url}/orgs/${org.id}/benchmark`);
    await page.getByRole('heading', { level: 1, name: `Wo ${org.name} im Vergleich steht` }).waitFor();
    await page.getByRole('heading', { name: 'Gesamt' }).waitFor();
    await page.getByRole('heading', { name: 'Kompetenzen im Vergleich zu den Quartilen der Vergleichsgruppe' }).waitFor();
    await page.getByRole('heading', { name: 'Stufen der Vergleichsorganisationen neben unserer' }).waitFor();
    await page.getByRole('heading', { name: 'Der Pool dieser Instanz' }).waitFor();
    // "vor 62 % der Vergleichsgruppe": a German percentage.
    await page.getByText(/vor \d+\s%\sder Vergleichsgruppe/).first().waitFor();
    // German decimals: "Unser Gesamtwert 55,3".
    await page.getByText(/Unser Gesamtwert \d+,\d/).waitFor();
    await screenshot(page, name);
    assert.deepEqual(await englishOn(page), [], 'no English message of the results catalogue');
    assert.deepEqual(await overflows(page), [], 'nothing overflows');
    if (viewport === LAPTOP) await assertAccessible(page, 'the German benchmark page');
    page.assertClean();
    await page.context().close();
  }
});

test('the progress page speaks German', async () => {
  for (const [viewport, name] of [
    [LAPTOP, 'de-progress-laptop'],
    [PHONE, 'de-progress-phone'],
  ]) {
    const page = await germanPage(viewport);
    await page.goto(`${server.url}/orgs/${org.id}/progress`);
    await page.getByRole('heading', { level: 1, name: 'Fortschritt' }).waitFor();
    await page.getByRole('heading', { name: 'Nächste Erhebung' }).waitFor();
    await page.getByRole('heading', { name: 'Letzte Veränderung' }).waitFor();
    await page.getByRole('heading', { name: 'Stufen im Zeitverlauf' }).waitFor();
    await page.getByRole('heading', { name: 'Kompetenzen im Zeitverlauf' }).waitFor();
    await page.getByRole('heading', { name: 'Kundenkennzahlen' }).waitFor();
    await page.getByRole('rowheader', { name: 'Gesamt' }).first().waitFor();
    // The customer trend's axis: German month names ("Okt.", "Dez.", "Mai") or none at all on a phone.
    const ticks = await page.locator('[data-testid="customer-trend"] text.tick').allTextContents();
    for (const tick of ticks.filter((x) => /\p{L}/u.test(x))) assert.doesNotMatch(tick, /\b(Oct|Dec|May|Mar)\b/, `German month in "${tick}"`);
    await screenshot(page, name);
    assert.deepEqual(await englishOn(page), [], 'no English message of the results catalogue');
    assert.deepEqual(await overflows(page), [], 'nothing overflows');
    if (viewport === LAPTOP) await assertAccessible(page, 'the German progress page');
    page.assertClean();
    await page.context().close();
  }
});

test('the projector speaks German', async () => {
  // A new cycle of the demo organization, opened, with a workshop running.
  const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Workshop-Erhebung', min_group_size: 3 });
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
  const workshop = await admin.call('POST', `/api/cycles/${cycle.id}/workshops`, { pace: 'statement', order: 'model' });
  for (const [viewport, name] of [
    [LAPTOP, 'de-projector-laptop'],
    [PHONE, 'de-projector-phone'],
  ]) {
    const page = await germanPage(viewport);
    await page.goto(`${server.url}/workshops/${workshop.id}/projector`);
    await page.getByText('Treten Sie auf Ihrem Smartphone bei unter').waitFor();
    await page.getByText(/^Schritt 1 von \d+ · 0 Personen beigetreten$/).waitFor();
    await page.getByText('0 geantwortet', { exact: true }).waitFor();
    await page.getByText('Antworten bleiben verborgen, bis sie aufgedeckt werden; sie können ab 3 Antworten aufgedeckt werden.').waitFor();
    await page.getByRole('img', { name: /^QR-Code von http/ }).waitFor();
    await screenshot(page, name);
    // Nothing runs off the screen, on a phone either.
    const outside = await page.evaluate(() =>
      [...document.querySelectorAll('.projector *')]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5);
        })
        .map((el) => `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}"`),
    );
    assert.deepEqual(outside, [], 'nothing of the projector runs off the screen');
    assert.deepEqual(await englishOn(page), [], 'no English message of the results catalogue');
    page.assertClean();
    await page.context().close();
  }
  // The presenter view too.
  const presenter = await germanPage(LAPTOP);
  await presenter.goto(`${server.url}/workshops/${workshop.id}/presenter`);
  await presenter.getByRole('heading', { level: 1, name: /^Moderation: / }).waitFor();
  await presenter.getByRole('button', { name: 'Weiter →' }).waitFor();
  await presenter.getByRole('button', { name: 'Workshop beenden' }).waitFor();
  assert.deepEqual(await englishOn(presenter), [], 'no English message of the results catalogue');
  await screenshot(presenter, 'de-presenter-laptop');
  presenter.assertClean();
  await presenter.context().close();
});
