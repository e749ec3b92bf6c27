// How long a change made through one `cxm serve` process takes to reach
// another process on the same database: a log-out, a revocation, a close and
// a new submission, each made through process A while process B is polled
// (every 2 ms) until it serves the new state. Prints the median and p99 of
// each, in milliseconds.
//
//   node bench/freshness_bench.mjs build/cxm                 # SQLite in a temp dir
//   DB=postgresql://… node bench/freshness_bench.mjs build/cxm
//   ROUNDS=200 node bench/freshness_bench.mjs build/cxm
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const binary = process.argv[2] ?? 'build/cxm';
const rounds = Number(process.env.ROUNDS ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'cxm-fresh-'));
const db = process.env.DB ?? `sqlite:${join(dir, 'cxm.db')}`;

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

class Session {
  constructor(base) {
    this.base = base;
    this.cookie = '';
    this.csrf = '';
  }
  async call(method, path, body, base = this.base) {
    const headers = { Cookie: this.cookie, 'X-CSRF-Token': this.csrf };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    const cookie = r.headers.get('set-cookie');
    if (cookie) this.cookie = cookie.split(';')[0];
    const json = text ? JSON.parse(text) : null;
    if (json?.csrf_token) this.csrf = json.csrf_token;
    return { status: r.status, json };
  }
}

// As the participant's browser: a link's first write starts it (POST
// .../claim) and every later request carries its claim cookie.
const claims = new Map();
async function participant(base, method, path, body) {
  const token = path.split('/')[3];
  if (method !== 'GET' && !claims.has(token)) {
    const started = await fetch(`${base}/api/r/${token}/claim`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    if (started.ok) claims.set(token, started.headers.get('set-cookie').split(';')[0]);
  }
  const headers = { 'Content-Type': 'application/json' };
  if (claims.has(token)) headers.cookie = claims.get(token);
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, json: await r.json().catch(() => null) };
}

// Milliseconds from `change` until `seen` (polled on B) holds.
async function propagation(change, seen) {
  await change();
  const started = performance.now();
  for (;;) {
    if (await seen()) return performance.now() - started;
    if (performance.now() - started > 10000) throw new Error('not seen within 10 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function summary(name, samples) {
  const sorted = [...samples].sort((x, y) => x - y);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  console.log(`${name.padEnd(14)} n=${sorted.length}  median ${at(0.5).toFixed(1)} ms  p99 ${at(0.99).toFixed(1)} ms`);
}

const a = await start();
const b = await start();
try {
  const lead = new Session(a.base);
  await lead.call('POST', '/api/setup', { email: 'lead@example.org', name: 'Lea', password: 'correct horse battery' });
  const leadB = new Session(b.base);
  await leadB.call('POST', '/api/session', { email: 'lead@example.org', password: 'correct horse battery' });
  const org = (await lead.call('POST', '/api/orgs', { name: 'Acme' })).json.id;
  const cycle = (await lead.call('POST', `/api/orgs/${org}/cycles`, { name: 'Spring' })).json.id;
  await lead.call('POST', `/api/cycles/${cycle}/open`);
  const times = { 'log-out': [], revoke: [], close: [], 'new answer': [] };
  for (let round = 0; round < rounds; round++) {
    // A new submission through A shows in B's (cached) report.
    const [link, spare] = (await lead.call('POST', `/api/cycles/${cycle}/invitations`, { count: 2 })).json.invitations;
    const before = (await leadB.call('GET', `/api/cycles/${cycle}/report`)).json.respondents ?? 0;
    await participant(a.base, 'PUT', `/api/r/${link.token}/answers`, { answers: { LS2b: 4 } });
    times['new answer'].push(
      await propagation(
        () => participant(a.base, 'POST', `/api/r/${link.token}/submit`),
        async () => ((await leadB.call('GET', `/api/cycles/${cycle}/report`)).json.respondents ?? 0) > before,
      ),
    );
    // A revocation through A: B stops serving the link it had cached.
    await participant(b.base, 'GET', `/api/r/${spare.token}`);
    times.revoke.push(
      await propagation(
        () => lead.call('POST', `/api/cycles/${cycle}/invitations/${spare.id}/revoke`),
        async () => (await participant(b.base, 'GET', `/api/r/${spare.token}`)).status === 404,
      ),
    );
    // A close through A: B shows the cycle closed.
    await leadB.call('GET', `/api/cycles/${cycle}`);
    times.close.push(
      await propagation(
        () => lead.call('POST', `/api/cycles/${cycle}/close`),
        async () => (await leadB.call('GET', `/api/cycles/${cycle}`)).json.status === 'closed',
      ),
    );
    await lead.call('POST', `/api/cycles/${cycle}/open`);
    // A log-out through A: B refuses the session it had cached.
    const other = new Session(a.base);
    await other.call('POST', '/api/session', { email: 'lead@example.org', password: 'correct horse battery' });
    await other.call('GET', '/api/session', undefined, b.base);
    const cookie = other.cookie;  // the log-out answer clears it
    times['log-out'].push(
      await propagation(
        () => other.call('DELETE', '/api/session'),
        async () => {
          other.cookie = cookie;
          return (await other.call('GET', '/api/session', undefined, b.base)).status === 401;
        },
      ),
    );
  }
  console.log(`database ${db.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL'}, ${rounds} rounds`);
  for (const [name, samples] of Object.entries(times)) summary(name, samples);
} finally {
  a.child.kill('SIGTERM');
  b.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
