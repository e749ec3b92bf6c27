import { chromium } from 'playwright-core';
const [file, pages] = [process.argv[2], process.argv[3].split(',')];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
for (const p of pages) {
  const page = await browser.newPage({ viewport: { width: 900, height: 1250 } });
  await page.goto(`file://${file}#page=${p}&zoom=70&toolbar=0&navpanes=0`).catch(() => {});
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `/tmp/rep-demo/page-${p}.png` });
  await page.close();
}
await browser.close();
