// QR cards (issue 23): each card names whom it is for (role and unit, so
// the executives' and the frontline's cards differ), says how long the
// questionnaire takes (the cycle's own estimate, not a fixed number), and
// printing them makes no blank page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, launchBrowser, screenshot, screenshotDir, signedInPage, startServer } from './support.mjs';

let server;
let browser;
let admin;
let arranged;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  arranged = await admin.arrange({ units: ['Retail stores', 'Digital'] });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// Creates `count` anonymous links for `role` and `unit` on the cycle page.
async function createLinks(page, count, role, unit) {
  await page.getByLabel('Number of links').fill(String(count));
  await page.getByRole('form', { name: 'Create links' }).getByLabel(/^Role/).selectOption({ label: role });
  await page.getByRole('form', { name: 'Create links' }).getByLabel('Unit').selectOption({ label: unit });
  await page.getByRole('button', { name: 'Create links' }).click();
  await page.getByRole('heading', { name: `${count} new links` }).waitFor();
}

// The pages of a PDF that Chromium made.
const pagesOf = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

test('QR cards name role and unit, use the questionnaire estimate, and print on one page', async () => {
  const { model } = await admin.call('GET', `/api/cycles/${arranged.cycle.id}`);
  assert.ok(model.minutes > 0);
  const page = await signedInPage(browser, server, admin, { viewport: { width: 1440, height: 900 } });
  await page.goto(`${server.url}/cycles/${arranged.cycle.id}`);

  await createLinks(page, 4, 'Executive', 'Retail stores');
  const cards = page.getByLabel('QR cards').locator('.qr-card');
  assert.equal(await cards.count(), 4);
  for (const card of await cards.all()) {
    assert.equal((await card.getByTestId('card-whom').textContent()).trim(), 'For: Executive · Retail stores');
    const text = await card.textContent();
    assert.match(text, new RegExp(`about ${model.minutes} minutes?, anonymous`));
  }
  await screenshot(page, 'cards-executive');

  // Printing the cards: everything else hidden, and no page without a card.
  await page.evaluate(() => (window.print = () => {}));
  await page.getByRole('button', { name: 'Print QR cards' }).click();
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  writeFileSync(join(screenshotDir, 'cards.pdf'), pdf);
  assert.equal(pagesOf(pdf), 1, 'four cards print on one page, no blank page after it');
  await page.emulateMedia({ media: 'screen' });

  await createLinks(page, 2, 'Frontline employee', 'Digital');
  assert.equal(await cards.count(), 2);
  for (const card of await cards.all())
    assert.equal((await card.getByTestId('card-whom').textContent()).trim(), 'For: Frontline employee · Digital');
  page.assertClean();
});
