// Live updates in the browser when the server ends or refuses a stream
// (SECURITY.md, "Event streams cannot starve the server"): with
// --stream-lifetime 2 every stream ends after two seconds and the page's
// EventSource reconnects by itself, with nothing lost; with
// --streams-per-link 1 a second tab of the same phone is refused (429),
// and once the first closes it follows the room again on its own
// (web/src/lib/eventStream.ts).
import { test, before, after } from 'node:test';
import { ApiClient, launchBrowser, openPage, startServer } from './support.mjs';

const PHONE = { width: 390, height: 844 };

let browser;
const servers = [];

before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const server of servers) await server.stop();
});

// A server started with `args`, its admin and a live workshop.
async function room(args) {
  const server = await startServer({ args });
  servers.push(server);
  const admin = new ApiClient(server.url);
  const arranged = await admin.arrange();
  const workshop = await admin.call('POST', `/api/cycles/${arranged.cycle.id}/workshops`);
  // The statement the phones show once the facilitator moves to `step`.
  const moveTo = async (step) =>
    (await admin.call('POST', `/api/workshops/${workshop.id}/step`, { round: 1, step })).current[0].text;
  return { server, workshop, moveTo };
}

async function joinedPhone(server, workshop) {
  const phone = await openPage(browser, { viewport: PHONE, hasTouch: true, isMobile: true });
  await phone.goto(`${server.url}/j/${workshop.code}`);
  await phone.getByRole('button', { name: 'Join' }).click();
  await phone.getByText('What the facilitator can and cannot see').waitFor();
  return phone;
}

test('a phone follows the room across the ends of its streams', async () => {
  const { server, workshop, moveTo } = await room(['--stream-lifetime', '2']);
  const phone = await joinedPhone(server, workshop);
  await phone.waitForTimeout(5000); // its stream has ended and been reopened by now
  const next = await moveTo(1);
  await phone.locator('h2.statement-text', { hasText: next }).waitFor();
  phone.assertClean();
});

test('a second tab refused a stream follows the room once the first tab closes', async () => {
  const { server, workshop, moveTo } = await room(['--streams-per-link', '1']);
  const phone = await joinedPhone(server, workshop);
  const tab = await phone.context().newPage();
  const refused = tab.waitForResponse((r) => r.url().endsWith('/workshop/events') && r.status() === 429);
  await tab.goto(phone.url());
  await refused;
  await phone.close();
  const next = await moveTo(1);
  await tab.locator('h2.statement-text', { hasText: next }).waitFor({ timeout: 20000 });
  phone.assertClean();
});
