// A live workshop in the browser (issue 16): the projector at 1920x1080
// and three phones, each its own browser context, as three people in a room.
// They join by code, their answers are counted live on the projector, the
// reveal shows the distribution (refused below the minimum group), the
// second round asks the split statement again, and the projector shows
// before and after with the convergence verdict. Issue 23: the facilitator
// drives it all from a presenter view apart from the projector, which has
// no controls and fits the screen; round 2 gives way to round 1 again; the
// discussion says what moved after talking.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, assertAccessible, launchBrowser, openPage, screenshot, signedInPage, startServer } from './support.mjs';

const PROJECTOR = { width: 1920, height: 1080 };
const LAPTOP = { width: 1440, height: 900 };
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

// What on the page overflows the viewport or cuts a scale label: [] when
// everything fits and every label shows in full.
async function overflows(page) {
  return page.evaluate(() => {
    const found = [];
    const root = document.scrollingElement;
    if (root.scrollHeight > root.clientHeight || root.scrollWidth > root.clientWidth)
      found.push(`the page scrolls: ${root.scrollWidth}x${root.scrollHeight} in ${root.clientWidth}x${root.clientHeight}`);
    for (const box of document.querySelectorAll('.statements, .statement')) {
      if (box.scrollHeight > box.clientHeight + 1) found.push(`${box.className} overflows by ${box.scrollHeight - box.clientHeight}px`);
    }
    for (const el of document.querySelectorAll('.projector *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5 || r.top < -0.5 || r.left < -0.5)
        found.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" outside the viewport`);
    }
    for (const label of document.querySelectorAll('[data-testid="scale-label"]')) {
      const style = getComputedStyle(label);
      if (label.scrollWidth > label.clientWidth + 1 || style.textOverflow === 'ellipsis')
        found.push(`label "${label.textContent}" cut`);
    }
    return found;
  });
}

// A phone without a browser: joins with `code` and answers over the API.
async function apiPhone(code) {
  const joined = await fetch(server.url + '/api/join', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  assert.equal(joined.status, 200, await joined.clone().text());
  const cookie = joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { token } = await joined.json();
  return {
    async answer(round, answers) {
      const r = await fetch(`${server.url}/api/r/${token}/workshop/answers`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ round, answers }),
      });
      assert.equal(r.status, 200, await r.text());
    },
  };
}

test('three phones join by code, answer live, and see the reveal and the second round on the projector', async () => {
  // The facilitator's presenter view (a laptop) drives; the projector only shows.
  const presenter = await signedInPage(browser, server, admin, { viewport: LAPTOP });
  presenter.on('dialog', (dialog) => dialog.accept());
  await presenter.goto(`${server.url}/cycles/${arranged.cycle.id}`);
  await presenter.getByRole('button', { name: 'Start a workshop' }).click();
  await presenter.waitForURL(/\/workshops\/[^/]+\/presenter$/);
  const workshopId = presenter.url().match(/\/workshops\/([^/]+)\/presenter$/)[1];
  const projector = await signedInPage(browser, server, admin, { viewport: PROJECTOR });
  await projector.goto(`${server.url}/workshops/${workshopId}/projector`);
  const code = (await projector.getByTestId('join-code').textContent()).trim();
  // The room sees no controls.
  assert.equal(await projector.locator('button, select, input, [role="button"]').count(), 0, 'no controls on the projector');
  assert.equal(await projector.getByText('Previous').count(), 0);
  // The room sees the participant-facing title, never the internal cycle name.
  await projector.getByText('Acme Insurance customer-experience assessment', { exact: false }).first().waitFor();
  assert.equal(await projector.getByText('Spring 2027 assessment').count(), 0);
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
  await presenter.getByTestId('presenter-answered').filter({ hasText: /^2$/ }).waitFor();
  // Two are too few to show (the minimum group is 3).
  await presenter.getByRole('button', { name: 'Reveal' }).click();
  await presenter.getByRole('alert').getByText('from 3 answers on; 2 so far').waitFor();
  await tap(phones[2], 5);
  await projector.getByTestId('answered').filter({ hasText: /^3$/ }).waitFor();
  await screenshot(projector, 'workshop-projector-counting');
  // The presenter says how many answered and what comes next.
  await presenter.getByTestId('presenter-answered').filter({ hasText: /^3$/ }).waitFor();
  await presenter.getByTestId('presenter-next').filter({ hasText: /^Next: \S/ }).waitFor();
  await screenshot(presenter, 'workshop-presenter');

  await presenter.getByRole('button', { name: 'Reveal' }).click();
  await projector.getByText("The room's answers").waitFor();
  await projector.getByText('3 ratings').waitFor();
  await projector.getByText('Disagreement').waitFor();
  // The phones follow: the answers are locked now.
  for (const phone of phones) await phone.getByText('so they can no longer change').waitFor();
  await screenshot(projector, 'workshop-projector-revealed');
  assert.deepEqual(await overflows(projector), []);

  // Pacing: the next statement reaches every phone.
  await presenter.getByRole('button', { name: 'Next →' }).click();
  await projector.getByText('Step 2 of 49').waitFor();
  const next = (await projector.locator('main h2').first().textContent()).trim();
  assert.notEqual(next, statement);
  for (const phone of phones) await phone.locator('h2.statement-text', { hasText: next }).waitFor();

  // The second round asks the split statement again.
  await presenter.getByRole('button', { name: 'Start round 2 (1 split statement)' }).click();
  await projector.getByText('First round').waitFor();
  for (const phone of phones) await phone.getByText('second round').waitFor();
  assert.equal((await phones[0].locator('h2.statement-text').first().textContent()).trim(), statement);
  await tap(phones[0], 4);
  await tap(phones[1], 4);
  await tap(phones[2], 5);
  await projector.getByTestId('answered').filter({ hasText: /^3$/ }).waitFor();
  await presenter.getByRole('button', { name: 'Reveal' }).click();
  await projector.getByText('Second round', { exact: true }).waitFor();
  const verdict = await projector.getByTestId('verdict').textContent();
  assert.match(verdict, /The room came closer together: rwg 0\.00 → 0\.83/);
  await screenshot(projector, 'workshop-projector-second-round');
  await assertAccessible(projector, 'the projector in the second round');
  assert.deepEqual(await overflows(projector), []);

  // Round 2 is no one-way door: back to round 1 at the statement after the
  // one revealed, on the projector and the phones.
  await presenter.getByRole('button', { name: 'End round 2, back to round 1' }).click();
  await projector.getByText('Step 2 of 49').waitFor();
  assert.equal((await projector.locator('main h2').first().textContent()).trim(), next);
  for (const phone of phones) await phone.locator('h2.statement-text', { hasText: next }).waitFor();
  assert.equal(await phones[0].getByText('second round').count(), 0);
  await tap(phones[0], 2);
  await presenter.getByTestId('presenter-answered').filter({ hasText: /^1$/ }).waitFor();
  await assertAccessible(presenter, 'the presenter view');

  // Ending: the phones say so, and the code no longer works.
  await presenter.getByRole('button', { name: 'End workshop' }).click();
  await projector.getByText('The workshop has ended. Thank you.').waitFor();
  for (const phone of phones) await phone.getByText('The workshop has ended').waitFor();
  await screenshot(phones[1], 'workshop-phone-ended');
  await stranger.getByLabel('Workshop code').fill(code);
  await stranger.getByRole('button', { name: 'Join' }).click();
  await stranger.getByRole('alert').getByText('No workshop is running with that code').waitFor();

  // The discussion: what moved after talking, in plain words and numbers.
  await presenter.goto(`${server.url}/cycles/${arranged.cycle.id}/discussion`);
  const moved = presenter.getByTestId('workshop-rounds');
  await moved.getByRole('heading', { name: 'What moved after talking' }).waitFor();
  await moved.getByText(statement).waitFor();
  await moved.getByText(/^The room came closer together: before talking .* \(mean 3\.7\); after, the room agreed \(mean 4\.3\)\.$/).waitFor();
  await moved.getByText('0.00 → 0.83').waitFor();
  await moved.scrollIntoViewIfNeeded();
  await screenshot(presenter, 'workshop-discussion-moved');

  presenter.assertClean([/status of 409/]); // the reveal refused below the minimum group
  projector.assertClean();
  for (const phone of phones) phone.assertClean();
  stranger.assertClean([/422/]);
});

// Issue 23: "a competency at a time" shows seven statements at once; the
// projector fits them, revealed, with full scale labels, at 1920x1080 and
// 1440x900, the second round included.
test('the projector fits a competency of seven revealed statements on the screen', async () => {
  const client = admin;
  const cycle = await client.call('POST', `/api/orgs/${arranged.org.id}/cycles`, { name: 'Workshop by competency', min_group_size: 3 });
  await client.call('POST', `/api/cycles/${cycle.id}/open`);
  let ws = await client.call('POST', `/api/cycles/${cycle.id}/workshops`, { pace: 'competency' });
  const items = ws.current.map((s) => s.id);
  assert.equal(items.length, 7);
  const phones = [await apiPhone(ws.code), await apiPhone(ws.code), await apiPhone(ws.code)];
  // Split answers: every statement goes to a second round.
  for (const [i, phone] of phones.entries())
    await phone.answer(1, Object.fromEntries(items.map((id) => [id, i === 0 ? 1 : 5])));
  for (const id of items) ws = await client.call('POST', `/api/workshops/${ws.id}/reveal`, { round: 1, item: id });

  const projector = await signedInPage(browser, server, admin, { viewport: PROJECTOR });
  await projector.goto(`${server.url}/workshops/${ws.id}/projector`);
  await projector.getByText("The room's answers").first().waitFor();
  assert.equal(await projector.getByText("The room's answers").count(), 7);
  await projector.getByText('3 · Neither agree nor disagree').first().waitFor();
  assert.deepEqual(await overflows(projector), [], 'round 1 at 1920x1080');
  await screenshot(projector, 'workshop-projector-competency-1920');
  await projector.setViewportSize(LAPTOP);
  await projector.waitForTimeout(200);
  assert.deepEqual(await overflows(projector), [], 'round 1 at 1440x900');
  await screenshot(projector, 'workshop-projector-competency-1440');

  ws = await client.call('POST', `/api/workshops/${ws.id}/second-round`);
  for (const phone of phones) await phone.answer(2, Object.fromEntries(items.map((id) => [id, 4])));
  for (const id of items) await client.call('POST', `/api/workshops/${ws.id}/reveal`, { round: 2, item: id });
  await projector.getByText('Second round', { exact: true }).first().waitFor();
  await projector.getByTestId('verdict').nth(6).waitFor();
  assert.deepEqual(await overflows(projector), [], 'round 2 at 1440x900');
  await screenshot(projector, 'workshop-projector-competency-round2-1440');
  await projector.setViewportSize(PROJECTOR);
  await projector.waitForTimeout(200);
  assert.deepEqual(await overflows(projector), [], 'round 2 at 1920x1080');
  await screenshot(projector, 'workshop-projector-competency-round2-1920');
  await client.call('POST', `/api/workshops/${ws.id}/end`);
  projector.assertClean();
});
