// The organizations page with many organizations: GET /api/orgs lists each
// one with its overview (latest published stage, last cycle, next due),
// reading the database a constant number of times whatever their number.
// Makes ORGS organizations with one closed cycle of 3 submissions each,
// then times the list on a fresh server (no report cached: every last
// closed cycle is scored) and again (reports cached). Prints milliseconds.
//
//   node bench/org_list_bench.mjs build/cxm
//   ORGS=500 node bench/org_list_bench.mjs build/cxm
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const binary = process.argv[2] ?? 'build/cxm';
const orgs = Number(process.env.ORGS ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'cxm-orgs-'));
const db = `sqlite:${join(dir, 'cxm.db')}`;

function start() {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (chunk) => {
      const match = /listening on (http:\/\/[\d.:]+)/.exec(String(chunk));
      if (match) resolve({ child, base: match[1] });
    });
    child.on('exit', (code) => reject(new Error(`cxm serve exited with ${code}`)));
  });
}

function stop(server) {
  return new Promise((resolve) => {
    server.child.on('exit', resolve);
    server.child.kill('SIGTERM'); // only the pid we started
  });
}

class Session {
  constructor(base) {
    this.base = base;
    this.cookie = '';
    this.csrf = '';
  }
  async call(method, path, body) {
    const headers = { Cookie: this.cookie, 'X-CSRF-Token': this.csrf };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    const cookie = r.headers.get('set-cookie');
    if (cookie) this.cookie = cookie.split(';')[0];
    const json = text ? JSON.parse(text) : null;
    if (json?.csrf_token) this.csrf = json.csrf_token;
    if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return json;
  }
}

// As a participant's browser: claim the link, save, submit.
async function answer(base, token, answers) {
  const claimed = await fetch(`${base}/api/r/${token}/claim`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  const cookie = claimed.headers.get('set-cookie').split(';')[0];
  const headers = { 'Content-Type': 'application/json', cookie };
  await fetch(`${base}/api/r/${token}/answers`, { method: 'PUT', headers, body: JSON.stringify({ answers }) });
  await fetch(`${base}/api/r/${token}/submit`, { method: 'POST', headers, body: '{}' });
}

async function timed(session, rounds) {
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    const list = await session.call('GET', '/api/orgs');
    samples.push(performance.now() - t);
    if (list.organizations.length !== orgs) throw new Error('wrong count');
  }
  samples.sort((a, b) => a - b);
  return samples;
}

try {
  let server = await start();
  let admin = new Session(server.base);
  await admin.call('POST', '/api/setup', { email: 'bench@example.org', name: 'Bench', password: 'a long bench password' });
  for (let i = 0; i < orgs; i++) {
    const org = await admin.call('POST', '/api/orgs', { name: `Org ${String(i).padStart(4, '0')}`, units: ['Sales'] });
    const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Spring', anonymous: false });
    await admin.call('POST', `/api/cycles/${cycle.id}/open`);
    const { invitations } = await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, { count: 3, role: 'manager', unit: 'Sales' });
    for (const [k, link] of invitations.entries()) await answer(server.base, link.token, { LS2b: 1 + k, IN2: 4, GO2: 3 });
    await admin.call('POST', `/api/cycles/${cycle.id}/close`);
  }
  await stop(server);

  server = await start();
  admin = new Session(server.base);
  await admin.call('POST', '/api/session', { email: 'bench@example.org', password: 'a long bench password' });
  const [cold] = await timed(admin, 1);
  const warm = await timed(admin, 20);
  console.log(`${orgs} organizations, GET /api/orgs: first (no report cached) ${cold.toFixed(1)} ms; ` +
    `then median ${warm[10].toFixed(1)} ms, max ${warm.at(-1).toFixed(1)} ms`);
  await stop(server);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
