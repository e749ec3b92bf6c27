// What the browser tests share: a real `cxm serve` on a free loopback port
// with its own SQLite database, Debian's Chromium driven by playwright-core,
// a small API client for arranging data, screenshots, an axe-core check and
// a watch on console errors.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const binary = process.env.CXM_BINARY ?? join(here, '../../build/cxm');
export const screenshotDir = process.env.CXM_SCREENSHOTS ?? join(here, '../../build/screenshots');

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

// Starts a server on an empty database (or one loaded by `cxm demo` first),
// with `args` added to `cxm serve`, on `port` (0: any free one; give one to
// know the server's address before it starts, as --public-url needs).
export async function startServer({ demo = false, args = [], port = 0 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cxm-e2e-'));
  const db = `sqlite:${join(dir, 'cxm.db')}`;
  if (demo) {
    const loaded = spawnSync(binary, ['demo', '--db', db], { encoding: 'utf8' });
    assert.equal(loaded.status, 0, loaded.stderr);
  }
  const child = spawn(binary, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.resume(); // the access log; never let the pipe fill up
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (found) resolve(found[1]);
    });
    child.on('exit', (code) => reject(new Error(`cxm serve exited with ${code}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM'); // only the pid we started
        await new Promise((resolve) => child.on('exit', resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A TCP port free on loopback now (the kernel's choice, let go at once).
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// A mail server on loopback that keeps what it takes (tests/smtp_sink.py,
// Debian's python3-aiosmtpd), and the `cxm serve` arguments that send
// through it.
export async function startSmtpSink(options = []) {
  const dir = mkdtempSync(join(tmpdir(), 'cxm-mail-'));
  const child = spawn('/usr/bin/python3', [join(here, '../../tests/smtp_sink.py'), '--dir', join(dir, 'mail'), ...options], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.resume();
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.on('exit', (code) => reject(new Error(`smtp_sink.py exited with ${code}`)));
  });
  return {
    port,
    args: ['--smtp', `smtp://127.0.0.1:${port}?security=none`, '--mail-from', 'cxm@example.com', '--mail-rate', '6000'],
    // The messages taken so far, oldest first: {to, raw}.
    messages() {
      const found = [];
      for (let n = 1; existsSync(join(dir, 'mail', `${n}.eml`)); ++n) {
        const raw = readFileSync(join(dir, 'mail', `${n}.eml`), 'utf8');
        found.push({ to: raw.match(/^X-Envelope-To: <([^>]*)>/m)?.[1] ?? '', raw });
      }
      return found;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM'); // only the pid we started
        await new Promise((resolve) => child.on('exit', resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CXM_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
}

// A page that records console errors and uncaught exceptions; call
// `assertClean()` at the end of a test.
export async function openPage(browser, { viewport = DESKTOP, colorScheme = 'light', ...options } = {}) {
  // bypassCSP lets the test inject axe-core; the app itself runs under its policy.
  const context = await browser.newContext({ viewport, colorScheme, bypassCSP: true, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.assertClean = (allowed = []) => {
    const unexpected = problems.filter((p) => !allowed.some((pattern) => pattern.test(p)));
    assert.deepEqual(unexpected, [], 'no console errors');
  };
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

// Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is now and
// fails on any serious or critical violation.
export async function assertAccessible(page, where) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  }
  const result = await page.evaluate(() =>
    // Only violations are read: axe then skips collecting every passing
    // node (most of its time on a large page).
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }),
  );
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  assert.deepEqual(serious, [], `accessibility of ${where}`);
}

// A page (see openPage) signed in with the session of `client` (an ApiClient).
export async function signedInPage(browser, server, client, options) {
  const page = await openPage(browser, options);
  await page.context().addCookies([{ name: 'cxm_session', value: client.cookie.split('=')[1], url: server.url }]);
  return page;
}

// A minimal API client with a cookie jar, for arranging data quickly.
export class ApiClient {
  constructor(base) {
    this.base = base;
    this.cookie = '';
    this.csrf = '';
  }
  async call(method, path, body) {
    const headers = { cookie: this.cookie };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.csrf) headers['x-csrf-token'] = this.csrf;
    const response = await fetch(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    if (json?.csrf_token) this.csrf = json.csrf_token;
    return json;
  }
  // The first admin, an organization, an open cycle and `links` links.
  async arrange({ links = [], units = ['Sales', 'Service'], email = 'lead@example.com', password = 'a long password' } = {}) {
    await this.call('POST', '/api/setup', { email, name: 'Dana Lead', password });
    const org = await this.call('POST', '/api/orgs', { name: 'Acme Insurance', industry: 'Insurance', size_band: '250–999', units });
    const cycle = await this.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Spring 2027 assessment', min_group_size: 3 });
    const created = [];
    for (const spec of links) {
      created.push(...(await this.call('POST', `/api/cycles/${cycle.id}/invitations`, spec)).invitations);
    }
    await this.call('POST', `/api/cycles/${cycle.id}/open`);
    return { org, cycle, links: created, email, password };
  }
  // As the participant's own browser: starts the link (claims it, keeping
  // the claim cookie in a jar of its own), answers every statement with
  // `pick(index)` and submits.
  async answerAll(token, pick) {
    const browser = new ApiClient(this.base);
    const q = await browser.call('GET', `/api/r/${token}`);
    await browser.call('POST', `/api/r/${token}/claim`, {});
    const answers = Object.fromEntries(q.items.map((item, i) => [item.id, pick(i)]));
    await browser.call('PUT', `/api/r/${token}/answers`, { answers });
    await browser.call('POST', `/api/r/${token}/submit`);
  }
}
