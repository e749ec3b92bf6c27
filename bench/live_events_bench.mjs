// SPEC section 7: 2,000 concurrent live connections on one process, and how
// long a submission takes to reach every one of them. Opens CONNECTIONS
// event streams (GET /api/cycles/{cycle}/events) to one `cxm serve`, then
// submits ROUNDS responses one at a time; for each, the time from sending
// the submission until each stream has the event that counts it. Prints
// the median, p99 and maximum over all streams and rounds, and the
// server's resident memory per open stream.
//
//   node bench/live_events_bench.mjs build/cxm                 # SQLite in a temp dir
//   DB=postgresql://… node bench/live_events_bench.mjs build/cxm
//   CONNECTIONS=2000 ROUNDS=20 node bench/live_events_bench.mjs build/cxm
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const binary = process.argv[2] ?? 'build/cxm';
const connections = Number(process.env.CONNECTIONS ?? 2000);
const rounds = Number(process.env.ROUNDS ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'cxm-live-'));
const db = process.env.DB ?? `sqlite:${join(dir, 'cxm.db')}`;

function start() {
  return new Promise((resolve, reject) => {
    // Every stream comes from one user at one address: lift those limits
    // (the process's own, from its open file limit, stays).
    const limits = ['--streams-per-link', String(connections), '--streams-per-address', String(connections)];
    const child = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...limits], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout.on('data', (chunk) => {
      const match = /listening on http:\/\/([\d.]+):(\d+)/.exec(String(chunk));
      if (match) resolve({ child, base: `http://${match[1]}:${match[2]}`, port: Number(match[2]) });
    });
    child.on('exit', (code) => reject(new Error(`cxm serve exited with ${code}`)));
  });
}

const rssKib = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

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
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return json;
  }
}

// One event stream on a raw socket; `onSubmitted(n)` for each event.
function openStream(port, path, cookie, onSubmitted) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = '';
    let opened = false;
    socket.setEncoding('utf8');
    socket.on('connect', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCookie: ${cookie}\r\n\r\n`),
    );
    socket.on('data', (chunk) => {
      buffer += chunk;
      if (!opened) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buffer.startsWith('HTTP/1.1 200')) return reject(new Error(buffer.slice(0, 200)));
        buffer = buffer.slice(end + 4);
        opened = true;
      }
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (!data) continue;
        onSubmitted(JSON.parse(data.slice(6)).responses.total.submitted);
        resolve(socket);
      }
    });
    socket.on('error', reject);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const server = await start();
try {
  const admin = new Session(server.base);
  await admin.call('POST', '/api/setup', { email: 'bench@example.org', name: 'Bench', password: 'a long bench password' });
  const org = await admin.call('POST', '/api/orgs', { name: 'Bench' });
  const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Live', anonymous: false });
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
  const links = (await admin.call('POST', `/api/cycles/${cycle.id}/invitations`, { count: rounds, role: 'manager' }))
    .invitations;

  const idle = rssKib(server.child.pid);
  // waiting[k]: resolvers for streams that have not yet seen k submissions.
  const seenAt = new Map();  // k -> array of arrival times
  let expected = 0;
  const sockets = [];
  const path = `/api/cycles/${cycle.id}/events`;
  for (let i = 0; i < connections; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(connections, i + 100); j++) {
      batch.push(
        openStream(server.port, path, admin.cookie, (n) => {
          if (n === expected && n > 0) seenAt.get(n).push(performance.now());
        }),
      );
    }
    sockets.push(...(await Promise.all(batch)));
  }
  await new Promise((r) => setTimeout(r, 500));
  const open = rssKib(server.child.pid);

  const latencies = [];
  for (let k = 1; k <= rounds; k++) {
    const link = links[k - 1];
    // Started as a participant's browser starts it: the claim cookie.
    const claimed = await fetch(`${server.base}/api/r/${link.token}/claim`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    const claim = claimed.headers.get('set-cookie').split(';')[0];
    await fetch(`${server.base}/api/r/${link.token}/answers`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Cookie: claim },
      body: JSON.stringify({ answers: { LS2b: 4 } }),
    });
    // Let a poll that may report the started answer pass first.
    await new Promise((r) => setTimeout(r, 2200));
    expected = k;
    seenAt.set(k, []);
    const sent = performance.now();
    const r = await fetch(`${server.base}/api/r/${link.token}/submit`, { method: 'POST', headers: { Cookie: claim } });
    if (r.status !== 200) throw new Error(`submit: ${r.status}`);
    const deadline = Date.now() + 5000;
    while (seenAt.get(k).length < connections && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const arrivals = seenAt.get(k);
    if (arrivals.length < connections) console.log(`round ${k}: only ${arrivals.length} of ${connections} streams had the event within 5 s`);
    for (const t of arrivals) latencies.push(t - sent);
  }
  latencies.sort((a, b) => a - b);
  console.log(`${connections} streams on one process, ${rounds} submissions (${db.startsWith('sqlite') ? 'SQLite' : 'PostgreSQL'})`);
  console.log(
    `submission to every stream: median ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1).toFixed(1)} ms`,
  );
  console.log(`server RSS: ${(idle / 1024).toFixed(1)} MiB idle, ${(open / 1024).toFixed(1)} MiB with the streams open: ${(((open - idle) * 1024) / connections).toFixed(0)} bytes per stream`);
  for (const s of sockets) s.destroy();
} finally {
  server.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
