// The outbox's speed: PEOPLE invitations (default 500) queued in one
// request and sent through a real SMTP server on loopback
// (tests/smtp_sink.py), by one `cxm serve` process and by two sharing the
// database. Each message is written when sent (the link made again from
// the cycle's key), leased inside a write, handed over, and recorded. The
// rate limit is lifted (--mail-rate 100000) to see what the machinery
// costs; a real installation sends at its provider's pace. Prints the
// median of RUNS runs (default 3) in messages per second, and checks that
// every person got exactly one message.
//
//   node bench/mail_bench.mjs build/cxm
//   PEOPLE=1000 RUNS=5 node bench/mail_bench.mjs build/cxm
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const binary = process.argv[2] ?? 'build/cxm';
const people = Number(process.env.PEOPLE ?? 500);
const runs = Number(process.env.RUNS ?? 3);
const here = dirname(fileURLToPath(import.meta.url));

function started(child, pattern) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', resolve);
    child.kill('SIGTERM'); // only the pid we started
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

// One run: a fresh database, `processes` servers, PEOPLE invitations.
async function run(processes) {
  const dir = mkdtempSync(join(tmpdir(), 'cxm-mail-bench-'));
  const children = [];
  try {
    const sink = spawn('/usr/bin/python3', [join(here, '../tests/smtp_sink.py'), '--dir', join(dir, 'mail')], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(sink);
    const port = await started(sink, /^(\d+)\n/);
    const args = ['serve', '--db', `sqlite:${join(dir, 'cxm.db')}`, '--listen', '127.0.0.1:0', '--smtp',
      `smtp://127.0.0.1:${port}?security=none`, '--mail-from', 'cxm@example.com', '--public-url',
      'https://cxm.example.com', '--mail-rate', '100000'];
    const bases = [];
    for (let i = 0; i < processes; i++) {
      const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'ignore'] });
      children.push(child);
      bases.push(await started(child, /listening on (http:\/\/[\d.:]+)/));
    }
    const admin = new Session(bases[0]);
    await admin.call('POST', '/api/setup', { email: 'bench@example.org', name: 'Bench', password: 'benchmark password' });
    const org = await admin.call('POST', '/api/orgs', { name: 'Bench', units: ['Sales'] });
    const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Bench' });
    await admin.call('POST', `/api/cycles/${cycle.id}/open`);
    const list = Array.from({ length: people }, (_, i) => ({ name: `Person ${i}`, email: `p${i}@example.org` }));
    const t0 = performance.now();
    await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, { people: list, send: true });
    const file = (n) => join(dir, 'mail', `${n}.eml`);
    while (!existsSync(file(people))) {
      if (performance.now() - t0 > 600000) throw new Error('not all messages arrived in 10 minutes');
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 500)); // anything sent twice arrives too
    const to = new Set();
    for (let n = 1; existsSync(file(n)); n++) to.add(/^X-Envelope-To: <([^>]*)>/m.exec(readFileSync(file(n), 'utf8'))[1]);
    if (to.size !== people || existsSync(file(people + 1))) throw new Error(`expected ${people} messages, one each`);
    return people / seconds;
  } finally {
    for (const child of children.reverse()) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const processes of [1, 2]) {
  const rates = [];
  for (let i = 0; i < runs; i++) rates.push(await run(processes));
  console.log(
    `${people} invitations, ${processes} process${processes > 1 ? 'es' : ''}: median ${median(rates).toFixed(0)} messages/s ` +
      `(runs: ${rates.map((r) => r.toFixed(0)).join(', ')})`,
  );
}
