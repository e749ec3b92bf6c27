// A participant in a German browser on a phone, in a cycle of the default
// model offered in English and German: every visible string is German (none of the English
// participant catalogue, none of the model's English texts), the answers
// are kept by statement id whatever the language, switching to English and
// back re-renders the whole page, and the choice stays with the link
// across reloads, over the browser's own language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ApiClient, assertAccessible, launchBrowser, openPage, screenshot, startServer } from './support.mjs';

const englishCatalogue = JSON.parse(readFileSync(new URL('../src/messages/en/participant.json', import.meta.url), 'utf8'));
const germanCatalogue = JSON.parse(readFileSync(new URL('../src/messages/de/participant.json', import.meta.url), 'utf8'));

let server;
let browser;
let admin;
let links;
let cycleId;
let total; // statements
let sections;
let english; // the questionnaire in English, as the API gives it
let german;
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'de-DE' };
const desktop = { viewport: { width: 1440, height: 900 }, locale: 'de-DE' };

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  await admin.call('POST', '/api/setup', { email: 'lead@example.com', name: 'Dana Lead', password: 'a long password' });
  const org = await admin.call('POST', '/api/orgs', { name: 'Müller & Söhne', industry: 'Insurance', size_band: '250–999', units: ['Vertrieb'] });
  // The default model, which comes in English and German.
  const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Frühjahr 2027', min_group_size: 3, languages: ['en', 'de'] });
  assert.deepEqual(cycle.languages, ['en', 'de']);
  cycleId = cycle.id;
  links = (await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, { count: 3, role: 'frontline', unit: 'Vertrieb' })).invitations;
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
  english = await admin.call('GET', `/api/r/${links[2].token}?lang=en`);
  german = await admin.call('GET', `/api/r/${links[2].token}?lang=de`);
  total = german.items.length;
  sections = german.competencies.length;
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The fixed parts of an ICU message ("{n, plural, …} of {total}" -> its words).
function fragments(message) {
  let text = message;
  for (let before = ''; before !== text; ) {
    before = text;
    text = text.replace(/\{[^{}]*\}/g, '\u0000');
  }
  return text
    .split('\u0000')
    .map((part) => part.replace(/[#·:,.()]+/g, ' ').trim())
    .filter((part) => part.length >= 3 && /\p{L}/u.test(part));
}

// Whether `text` has `words` as whole words ("Start" is English, "Starten" German).
const escape = (words) => words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const hasWords = (text, words) => new RegExp(`(?<!\\p{L})${escape(words)}(?!\\p{L})`, 'u').test(text);

// The English words that must not show on a German page: the participant
// catalogue's messages (where German says it differently) and the model's
// English texts (where the translation differs).
function englishWords() {
  const words = new Set();
  for (const [key, message] of Object.entries(englishCatalogue)) {
    if (germanCatalogue[key] === message) continue;
    for (const part of fragments(message)) if (!hasWords(germanCatalogue[key], part)) words.add(part);
  }
  const pairs = [
    [english.model.title, german.model.title],
    [english.introduction, german.introduction],
    [english.scale.dont_know, german.scale.dont_know],
    ...english.scale.labels.map((label, i) => [label, german.scale.labels[i]]),
    ...english.items.map((item, i) => [item.text, german.items[i].text]),
    ...english.competencies.flatMap((c, i) => [
      [c.name, german.competencies[i].name],
      [c.description, german.competencies[i].description],
      [c.comment, german.competencies[i].comment],
    ]),
    ...english.glossary.map((g, i) => [g.definition, german.glossary[i].definition]),
  ];
  for (const [en, de] of pairs) if (en && en !== de) words.add(en);
  return [...words];
}

// Everything the page shows a reader now: its visible text and the words
// of its labels, alternative texts and placeholders.
async function shownText(page) {
  return page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const element of document.querySelectorAll('[aria-label], [alt], [placeholder], [title]')) {
      for (const name of ['aria-label', 'alt', 'placeholder', 'title']) {
        const value = element.getAttribute(name);
        if (value) parts.push(value);
      }
    }
    parts.push(document.title);
    return parts.join('\n');
  });
}

async function assertGerman(page, where) {
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de', `${where}: <html lang>`);
  const text = await shownText(page);
  const found = englishWords().filter((word) => hasWords(text, word));
  assert.deepEqual(found, [], `${where}: English on the German page:\n${text}`);
}

// The statements of the section on the screen, answered with the scale
// point `label` (by its German or English name).
async function answerSection(page, label, touch = true) {
  const groups = page.locator('fieldset');
  const n = await groups.count();
  for (let i = 0; i < n; i++) {
    const radio = groups.nth(i).getByRole('radio', { name: label, exact: true });
    await (touch ? radio.tap() : radio.click());
  }
  return n;
}

// The statements of section `i` (from 0) in a questionnaire.
const itemsOf = (q, i) => q.items.filter((item) => item.competency === q.competencies[i].id);

// The answers saved through the link, as this browser (which holds it)
// reads them in `lang`.
const saved = (page, token, lang) =>
  page.evaluate(async ([t, l]) => (await (await fetch(`/api/r/${t}?lang=${l}`)).json()).answers, [token, lang]);

test('a participant in a German browser answers in German on a phone, switches to English and back, and submits', async () => {
  const token = links[0].token;
  let page = await openPage(browser, phone);
  await page.goto(server.url + links[0].url);
  // The browser's language picks German; the page says so.
  await page.getByRole('heading', { name: 'Customer-Experience-Einschätzung bei Müller & Söhne' }).waitFor();
  const picker = page.getByRole('group', { name: 'Sprache' });
  await picker.getByRole('button', { name: 'Deutsch' }).waitFor();
  assert.equal(await picker.getByRole('button', { name: 'Deutsch' }).getAttribute('aria-pressed'), 'true');
  assert.equal(await picker.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'false');
  assert.equal(await picker.getByRole('button', { name: 'English' }).getAttribute('lang'), 'en');
  await page.getByText(`${total} Aussagen`).waitFor();
  await page.getByText('Anonym.', { exact: true }).waitFor();
  await page.getByText('Mehr über diese Einschätzung').click();
  await page.getByRole('heading', { name: 'Bevor Sie beginnen' }).waitFor();
  await page.getByText(german.introduction.slice(0, 60)).waitFor();
  await page.getByText('Nicht sicher? Wählen Sie „Weiß nicht“').waitFor();
  await assertGerman(page, 'welcome');
  await assertAccessible(page, 'German welcome');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling (page is ${width}px wide)`);
  await screenshot(page, 'participant-de-welcome-phone');

  // Starting: the resume code, in German.
  await page.getByRole('button', { name: 'Starten' }).click();
  await page.getByRole('heading', { name: 'Ihr Fortsetzungscode' }).waitFor();
  await assertGerman(page, 'resume code');
  await page.getByRole('button', { name: 'Zu den Aussagen' }).click();

  // The first section: German statements, scale, glossary and comment question.
  const section1 = itemsOf(german, 0);
  await page.getByRole('heading', { name: german.competencies[0].name }).waitFor();
  await page.getByText(`Abschnitt 1 von ${sections} · 0 von ${total} beantwortet`).waitFor();
  await page.getByText(section1[0].text).waitFor();
  const explained = section1.find((item) => item.terms.length);
  if (explained) await page.getByText(german.glossary[explained.terms[0]].definition).waitFor();
  if (german.competencies[0].comment) await page.getByText(german.competencies[0].comment).waitFor();
  const first = await answerSection(page, german.scale.labels[3]);
  assert.equal(first, section1.length);
  await page.getByText('Antwort gespeichert').waitFor();
  await page.getByText(`Abschnitt 1 von ${sections} · ${first} von ${total} beantwortet`).waitFor();
  await assertGerman(page, 'question');
  await assertAccessible(page, 'German question');
  await screenshot(page, 'participant-de-question-phone');
  // Saved by statement id: the same answers read in English.
  const agree = Object.fromEntries(section1.map((item) => [item.id, 4]));
  assert.deepEqual(await saved(page, token, 'en'), agree);

  // To English: the whole page, the questionnaire and the page's own words.
  await picker.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: english.competencies[0].name }).waitFor();
  await page.getByText(itemsOf(english, 0)[0].text).waitFor();
  await page.getByText(`Section 1 of ${sections} · ${first} of ${total} answered`).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('fieldset').first().getByRole('radio', { name: english.scale.labels[3], exact: true }).isChecked(), true);
  assert.equal(await page.getByText(section1[0].text).count(), 0);
  // The choice stays with the link, over the German browser.
  await page.reload();
  await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: english.competencies[1].name }).waitFor();

  // And back to German, where the participant is.
  await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Deutsch' }).click();
  await page.getByRole('heading', { name: german.competencies[1].name }).waitFor();
  await assertGerman(page, 'second section');
  const second = await answerSection(page, german.scale.dont_know);
  await page.getByText(`Abschnitt 2 von ${sections} · ${first + second} von ${total} beantwortet`).waitFor();
  await page.getByText('Antwort gespeichert').waitFor();
  const dontKnow = Object.fromEntries(itemsOf(german, 1).map((item) => [item.id, null]));
  assert.deepEqual(await saved(page, token, 'de'), { ...agree, ...dontKnow });
  // Back later: still German, where the participant left off.
  await page.reload();
  await page.getByRole('heading', { name: 'Willkommen zurück' }).waitFor();
  await page.getByText(`Sie haben ${first + second} von ${total} Aussagen beantwortet.`).waitFor();
  await assertGerman(page, 'welcome back');
  await page.getByRole('button', { name: 'Weiter' }).click();
  for (let section = 3; section <= sections; section++) {
    await page.getByText(`Abschnitt ${section} von ${sections}`).waitFor();
    await answerSection(page, german.scale.labels[2]);
    await page.getByRole('button', { name: section < sections ? 'Weiter' : 'Prüfen und absenden' }).click();
  }
  await page.getByRole('heading', { name: 'Bereit zum Absenden?' }).waitFor();
  await page.getByText(`Sie haben ${total} von ${total} Aussagen beantwortet.`).waitFor();
  await assertGerman(page, 'review');

  // Submitted in German.
  await page.getByRole('button', { name: 'Antworten absenden' }).click();
  await page.getByRole('heading', { name: 'Vielen Dank!' }).waitFor();
  await page.getByText('Ihre Antworten wurden an Müller & Söhne übermittelt.').waitFor();
  await assertGerman(page, 'thank you');
  await assertAccessible(page, 'German thank-you');
  await screenshot(page, 'participant-de-thanks-phone');
  page.assertClean();
  await page.context().close();

  // The link's choice, not the browser's: an English browser on it reads German.
  page = await openPage(browser, { ...phone, locale: 'en-US' });
  await page.goto(server.url + links[0].url);
  await page.getByRole('heading', { name: 'Vielen Dank!' }).waitFor();
  await page.context().close();
});

test('the German pages on a desktop, and the English ones in an English browser', async () => {
  const page = await openPage(browser, desktop);
  await page.goto(server.url + links[1].url);
  await page.getByRole('heading', { name: 'Customer-Experience-Einschätzung bei Müller & Söhne' }).waitFor();
  await assertGerman(page, 'desktop welcome');
  await screenshot(page, 'participant-de-welcome-desktop');
  await page.getByRole('button', { name: 'Starten' }).click();
  await page.getByRole('button', { name: 'Zu den Aussagen' }).click();
  await page.getByRole('heading', { name: german.competencies[0].name }).waitFor();
  await answerSection(page, german.scale.labels[4], false);
  await page.getByText('Antwort gespeichert').waitFor();
  await assertGerman(page, 'desktop question');
  await screenshot(page, 'participant-de-question-desktop');
  for (let section = 2; section <= sections; section++) {
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.getByText(`Abschnitt ${section} von ${sections}`).waitFor();
  }
  await page.getByRole('button', { name: 'Prüfen und absenden' }).click();
  const open = itemsOf(german, 1).length;
  await page.getByText(`${german.competencies[1].name}: ${open} ${open === 1 ? 'Aussage' : 'Aussagen'} offen`).waitFor();
  await assertGerman(page, 'desktop review');
  await page.getByRole('button', { name: 'Antworten absenden' }).click();
  await page.getByRole('heading', { name: 'Vielen Dank!' }).waitFor();
  await assertGerman(page, 'desktop thank you');
  await screenshot(page, 'participant-de-thanks-desktop');
  page.assertClean();
  await page.context().close();

  // An English browser on a fresh link of the same cycle: English.
  const en = await openPage(browser, { ...phone, locale: 'en-GB' });
  await en.goto(server.url + links[2].url);
  await en.getByRole('heading', { name: 'Müller & Söhne customer-experience assessment' }).waitFor();
  await en.getByText(`${total} statements`).waitFor();
  assert.equal(await en.evaluate(() => document.documentElement.lang), 'en');
  // The check of the German pages finds English where there is some.
  await en.evaluate(() => (document.documentElement.lang = 'de'));
  await assert.rejects(assertGerman(en, 'English page'), /English on the German page/);
  await en.evaluate(() => {
    document.documentElement.lang = 'de';
    document.body.innerHTML = '<main><button>Start</button><p>Müller</p></main>';
  });
  await assert.rejects(assertGerman(en, 'one English word'), /Start/);
  en.assertClean();
  await en.context().close();
});

test('a German phone in a live workshop: joining, the statements as the room moves on, and English on request', async () => {
  const workshop = await admin.call('POST', `/api/cycles/${cycleId}/workshops`, { pace: 'statement' });
  const page = await openPage(browser, phone);
  await page.goto(server.url + '/join');
  await page.getByRole('heading', { name: 'Am Workshop teilnehmen' }).waitFor();
  await assertGerman(page, 'join');
  await page.getByLabel('Workshop-Code').fill(workshop.code.toLowerCase());
  await page.getByRole('button', { name: 'Teilnehmen' }).click();
  // The statement on the screen, in the seat's (the browser's) language.
  const at = (step) => german.items.find((item) => item.id === workshop.steps[step].items[0]);
  await page.getByRole('heading', { name: at(0).text }).waitFor();
  await page.getByText('Was die Moderation sieht – und was nicht').waitFor();
  await page.getByRole('button', { name: `2 ${german.scale.labels[1]}`, exact: true }).click();
  await page.getByText('Gespeichert. Sie können Ihre Antwort ändern').waitFor();
  await assertGerman(page, 'seat');
  await assertAccessible(page, 'German seat');
  await screenshot(page, 'participant-de-seat-phone');
  // The room moves on: the next statement arrives by the room's stream, in German.
  await admin.call('POST', `/api/workshops/${workshop.id}/step`, { round: 1, step: 1 });
  await page.getByRole('heading', { name: at(1).text }).waitFor();
  await assertGerman(page, 'seat, next statement');
  // In English on request, kept with the seat.
  await page.getByRole('group', { name: 'Sprache' }).getByRole('button', { name: 'English' }).click();
  const english1 = english.items.find((item) => item.id === workshop.steps[1].items[0]);
  await page.getByRole('heading', { name: english1.text }).waitFor();
  await page.getByText('What the facilitator can and cannot see').waitFor();
  await page.reload();
  await page.getByRole('heading', { name: english1.text }).waitFor();
  await page.getByRole('button', { name: `2 ${english.scale.labels[1]}`, exact: true }).waitFor();
  page.assertClean();
  await page.context().close();
});
