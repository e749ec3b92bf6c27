// A live workshop with a full room (issue 16): PHONES phones join one
// workshop by code and follow the room's event stream, a projector
// follows the workshop's. For each of STEPS statements the facilitator
// moves to it (time until every phone has the step), every phone answers
// at once (the answers' response times, and the time until the projector
// counts them all), and the facilitator reveals it. Prints medians, p99
// and maxima.
//
//   node bench/workshop_bench.mjs build/cxm                 # SQLite in a temp dir
//   DB=postgresql://… node bench/workshop_bench.mjs build/cxm
//   PHONES=300 STEPS=10 node bench/workshop_bench.mjs build/cxm
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const binary = process.argv[2] ?? 'build/cxm';
const phones = Number(process.env.PHONES ?? 300);
const steps = Number(process.env.STEPS ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'cxm-workshop-'));
const db = process.env.DB ?? `sqlite:${join(dir, 'cxm.db')}`;

function start() {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', (chunk) => {
      const match = /listening on http:\/\/([\d.]+):(\d+)/.exec(String(chunk));
      if (match) resolve({ child, base: `http://${match[1]}:${match[2]}`, port: Number(match[2]) });
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

// One event stream on a raw socket; `onData(json)` for each event.
function openStream(port, path, cookie, onData) {
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
        onData(JSON.parse(data.slice(6)));
        resolve(socket);
      }
    });
    socket.on('error', reject);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`;
};
const until = async (done, what) => {
  const deadline = Date.now() + 10000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

const server = await start();
try {
  const admin = new Session(server.base);
  await admin.call('POST', '/api/setup', { email: 'bench@example.org', name: 'Bench', password: 'a long bench password' });
  const org = await admin.call('POST', '/api/orgs', { name: 'Bench' });
  const cycle = await admin.call('POST', `/api/orgs/${org.id}/cycles`, { name: 'Workshop', min_group_size: 5 });
  await admin.call('POST', `/api/cycles/${cycle.id}/open`);
  const workshop = await admin.call('POST', `/api/cycles/${cycle.id}/workshops`, {});

  // The room joins, 20 at a time (one client address: a good code is taken back).
  const seats = [];
  const joins = [];
  for (let i = 0; i < phones; i += 20) {
    const batch = [];
    for (let j = i; j < Math.min(phones, i + 20); j++) {
      batch.push(
        (async () => {
          const t = performance.now();
          const r = await fetch(`${server.base}/api/join`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ code: workshop.code }),
          });
          if (r.status !== 200) throw new Error(`join: ${r.status} ${await r.text()}`);
          joins.push(performance.now() - t);
          const { token } = await r.json();
          return { token, cookie: r.headers.get('set-cookie').split(';')[0], step: -1 };
        })(),
      );
    }
    seats.push(...(await Promise.all(batch)));
  }
  for (const seat of seats) {
    seat.socket = await openStream(server.port, `/api/r/${seat.token}/workshop/events`, seat.cookie, (room) => {
      if (room.step !== seat.step) {
        seat.step = room.step;
        seat.at = performance.now();
      }
    });
  }
  let counted = { answered: -1, at: 0 };
  const projector = await openStream(server.port, `/api/workshops/${workshop.id}/events`, admin.cookie, (state) => {
    const answered = state.current[0]?.answered ?? 0;
    if (answered !== counted.answered) counted = { answered, at: performance.now() };
  });

  const toPhones = [];
  const answers = [];
  const toProjector = [];
  const reveals = [];
  for (let step = 1; step <= steps; step++) {
    const moved = performance.now();
    const state = await admin.call('POST', `/api/workshops/${workshop.id}/step`, { round: 1, step });
    await until(() => seats.every((s) => s.step === step), `step ${step} on every phone`);
    for (const s of seats) toPhones.push(s.at - moved);
    const item = state.current[0].id;
    await until(() => counted.answered === 0, 'the projector at the new step');
    const sent = performance.now();
    await Promise.all(
      seats.map(async (seat, i) => {
        const t = performance.now();
        const r = await fetch(`${server.base}/api/r/${seat.token}/workshop/answers`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json', Cookie: seat.cookie },
          body: JSON.stringify({ round: 1, answers: { [item]: 1 + (i % 5) } }),
        });
        if (r.status !== 200) throw new Error(`answer: ${r.status} ${await r.text()}`);
        answers.push(performance.now() - t);
      }),
    );
    const last = performance.now();
    await until(() => counted.answered === phones, `all ${phones} answers counted on the projector`);
    toProjector.push(counted.at - last);
    const t = performance.now();
    await admin.call('POST', `/api/workshops/${workshop.id}/reveal`, { round: 1, item });
    reveals.push(performance.now() - t);
    if (step === 1) console.log(`(first step: ${phones} answers sent in ${(last - sent).toFixed(0)} ms)`);
  }
  console.log(`${phones} phones in one workshop, ${steps} steps (${db.startsWith('sqlite') ? 'SQLite' : 'PostgreSQL'})`);
  console.log(`join: ${summary(joins)}`);
  console.log(`step to every phone: ${summary(toPhones)}`);
  console.log(`answer (all phones at once): ${summary(answers)}`);
  console.log(`last answer to the projector's count: ${summary(toProjector)}`);
  console.log(`reveal: ${summary(reveals)}`);
  for (const s of seats) s.socket.destroy();
  projector.destroy();
} finally {
  server.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
