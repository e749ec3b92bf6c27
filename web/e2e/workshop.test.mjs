// A live workshop in the browser (issue 16): the projector at 1920x1080
// and three phones, each its own browser context, as three people in a room.
// They join by code, their answers are counted live on the projector, the
// reveal shows the distribution (refused below the minimum group), the
// second round asks the split statement again, and the projector shows
// before and after with the convergence verdict.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, assertAccessible, launchBrowser, openPage, screenshot, signedInPage, startServer } from './support.mjs';

const PROJECTOR = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };

let server;
let browser;
let admin;
let arranged;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = new ApiClient(server.url);
  arranged = await admin.arrange();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// A phone of its own (a new browser context: its own cookies) that joins
// with `code` as a person types it.
async function joinedPhone(code) {
  const phone = await openPage(browser, { viewport: PHONE, hasTouch: true, isMobile: true });
  await phone.goto(server.url + '/join');
  await phone.getByLabel('Workshop code').fill(code.toLowerCase());
  await phone.getByRole('button', { name: 'Join' }).click();
  await phone.getByText('What the facilitator can and cannot see').waitFor();
  return phone;
}

// Taps the answer for scale point `point` (1..5) and waits until it is saved.
async function tap(phone, point) {
  await phone.locator('button.answer').nth(point - 1).click();
  await phone.getByText('Saved. You can change it').waitFor();
}

test('three phones join by code, answer live, and see the reveal and the second round on the projector', async () => {
  const projector = await signedInPage(browser, server, admin, { viewport: PROJECTOR });
  projector.on('dialog', (dialog) => dialog.accept());
  await projector.goto(`${server.url}/cycles/${arranged.cycle.id}`);
  await projector.getByRole('button', { name: 'Start a workshop' }).click();
  await projector.waitForURL(/\/workshops\/[^/]+\/projector$/);
  const code = (await projector.getByTestId('join-code').textContent()).trim();
  assert.match(code, /^[A-Z2-9]{6}$/);
  // The QR code carries the join address with the code.
  await projector.getByRole('img', { name: new RegExp(`^QR code of http://.*/j/${code}\\?w=[0-9a-f]+$`) }).locator('svg').waitFor();
  await assertAccessible(projector, 'the projector');

  // A wrong code joins nothing.
  const stranger = await openPage(browser, { viewport: PHONE });
  await stranger.goto(server.url + '/join');
  await stranger.getByLabel('Workshop code').fill('ZZZZZZ');
  await stranger.getByRole('button', { name: 'Join' }).click();
  await stranger.getByRole('alert').getByText('No workshop is running with that code').waitFor();

  // The QR code's address fills the code in.
  const first = await openPage(browser, { viewport: PHONE, hasTouch: true, isMobile: true });
  const joinPath = await projector.evaluate(() => document.querySelector('[aria-label^="QR code of"]')?.getAttribute('aria-label')?.replace(/^QR code of https?:\/\/[^/]+/, ''));
  assert.match(joinPath, new RegExp(`^/j/${code}\\?w=`));
  await first.goto(`${server.url}${joinPath}`);
  assert.equal(await first.getByLabel('Workshop code').inputValue(), code);
  await first.getByRole('button', { name: 'Join' }).click();
  await first.getByText('What the facilitator can and cannot see').waitFor();
  const phones = [first, await joinedPhone(code), await joinedPhone(code)];
  await projector.getByText('3 people joined').waitFor();
  const statement = (await phones[0].locator('h2.statement-text').first().textContent()).trim();
  assert.equal((await projector.locator('main h2').first().textContent()).trim(), statement);
  await assertAccessible(phones[0], 'a phone in the workshop');
  await screenshot(phones[0], 'workshop-phone');

  // Answers appear live on the projector as a count, nothing else.
  await tap(phones[0], 1);
  await projector.getByTestId('answered').filter({ hasText: /^1$/ }).waitFor();
  await tap(phones[1], 5);
  await projector.getByTestId('answered').filter({ hasText: /^2$/ }).waitFor();
  assert.equal(await projector.getByText('The room\'s answers').count(), 0, 'no distribution before the reveal');
  // Two are too few to show (the minimum group is 3).
  await projector.getByRole('button', { name: 'Reveal' }).click();
  await projector.getByRole('alert').getByText('from 3 answers on; 2 so far').waitFor();
  await tap(phones[2], 5);
  await projector.getByTestId('answered').filter({ hasText: /^3$/ }).waitFor();
  await screenshot(projector, 'workshop-projector-counting');

  await projector.getByRole('button', { name: 'Reveal' }).click();
  await projector.getByText("The room's answers").waitFor();
  await projector.getByText('3 ratings').waitFor();
  await projector.getByText('Disagreement').waitFor();
  // The phones follow: the answers are locked now.
  for (const phone of phones) await phone.getByText('so they can no longer change').waitFor();
  await screenshot(projector, 'workshop-projector-revealed');

  // Pacing: the next statement reaches every phone.
  await projector.getByRole('button', { name: 'Next →' }).click();
  await projector.getByText('Step 2 of 49').waitFor();
  const next = (await projector.locator('main h2').first().textContent()).trim();
  assert.notEqual(next, statement);
  for (const phone of phones) await phone.locator('h2.statement-text', { hasText: next }).waitFor();

  // The second round asks the split statement again.
  await projector.getByRole('button', { name: /Second round \(1 statement\)/ }).click();
  await projector.getByText('First round').waitFor();
  for (const phone of phones) await phone.getByText('second round').waitFor();
  assert.equal((await phones[0].locator('h2.statement-text').first().textContent()).trim(), statement);
  await tap(phones[0], 4);
  await tap(phones[1], 4);
  await tap(phones[2], 5);
  await projector.getByTestId('answered').filter({ hasText: /^3$/ }).waitFor();
  await projector.getByRole('button', { name: 'Reveal' }).click();
  await projector.getByText('Second round', { exact: true }).waitFor();
  const verdict = await projector.getByTestId('verdict').textContent();
  assert.match(verdict, /The room came closer together: rwg 0\.00 → 0\.83/);
  await screenshot(projector, 'workshop-projector-second-round');
  await assertAccessible(projector, 'the projector in the second round');

  // Ending: the phones say so, and the code no longer works.
  await projector.getByRole('button', { name: 'End workshop' }).click();
  await projector.getByText('The workshop has ended. Thank you.').waitFor();
  for (const phone of phones) await phone.getByText('The workshop has ended').waitFor();
  await screenshot(phones[1], 'workshop-phone-ended');
  await stranger.getByLabel('Workshop code').fill(code);
  await stranger.getByRole('button', { name: 'Join' }).click();
  await stranger.getByRole('alert').getByText('No workshop is running with that code').waitFor();

  projector.assertClean([/status of 409/]); // the reveal refused below the minimum group
  for (const phone of phones) phone.assertClean();
  stranger.assertClean([/422/]);
});
