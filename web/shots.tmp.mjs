import { ApiClient, launchBrowser, signedInPage, startServer } from './e2e/support.mjs';
const server = await startServer({ demo: true });
const browser = await launchBrowser();
const admin = new ApiClient(server.url);
const a = await admin.arrange({
  units: ['Retail stores', 'Digital'],
  links: [
    { count: 3, role: 'executive', unit: 'Retail stores' },
    { count: 3, role: 'frontline', unit: 'Retail stores' },
    { count: 1, role: 'executive', unit: 'Digital' },
  ],
}).catch(async (e) => { console.error(e.message); throw e; });
await admin.call('PATCH', `/api/orgs/${a.org.id}`, { stage_rollup: 'weakest_unit' });
for (const [n, link] of a.links.entries()) await admin.answerAll(link.token, (i) => 1 + ((i + n * 2) % 5));
await admin.call('POST', `/api/cycles/${a.cycle.id}/close`);
const dir = '/tmp/wt-reasons-shots/';
for (const vp of [{ width: 1920, height: 1080 }, { width: 1440, height: 900 }, { width: 390, height: 844 }]) {
  const page = await signedInPage(browser, server, admin, { viewport: vp });
  await page.goto(`${server.url}/cycles/${a.cycle.id}/results`);
  await page.locator('.rollup').waitFor();
  await page.screenshot({ path: `${dir}res-top-${vp.width}.png` });
  await page.locator('#radar-section').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${dir}res-radar-${vp.width}.png` });
  await page.getByRole('region', { name: 'By unit' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${dir}res-units-${vp.width}.png` });
  await page.locator('#items-title').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${dir}res-items-${vp.width}.png` });
  await page.goto(`${server.url}/cycles/${a.cycle.id}/discussion`);
  await page.locator('.hidden-groups').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${dir}disc-hidden-${vp.width}.png` });
  await page.locator('#reliability-title').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${dir}disc-rel-${vp.width}.png` });
  await page.goto(`${server.url}/`);
  await page.locator('.org-card').first().waitFor();
  await page.screenshot({ path: `${dir}orgs-${vp.width}.png` });
  // demo org progress and plan
  const orgs = (await admin.call('GET', '/api/orgs')).organizations;
  const demo = orgs.find((o) => o.demo);
  if (demo) {
    await page.goto(`${server.url}/orgs/${demo.id}/progress`);
    await page.locator('#actions-title').waitFor();
    await page.screenshot({ path: `${dir}progress-top-${vp.width}.png` });
    await page.locator('#trend-title').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${dir}progress-trend-${vp.width}.png` });
    await page.goto(`${server.url}/orgs/${demo.id}/plan`);
    const edit = page.getByRole('button', { name: /Edit/ }).first();
    await edit.waitFor();
    await edit.click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${dir}plan-edit-${vp.width}.png` });
  }
  await page.context().close();
}
await browser.close();
await server.stop();
