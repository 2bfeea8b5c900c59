/**
 * Notify delivery through SMTP: `npm run bench -- notify`.
 *
 * Starts the real notify service (`startService`, in-process bus, its own schema) with its SMTP
 * adapter pointed at a local `smtp-server` listener in this process, registers BENCH_NOTIFY_PEOPLE
 * people (one ladder role each, an e-mail address, rate limit and digest off), then delivers
 * `escalation.rung.reached.v1` events as escalation would and measures, per event, the time from
 * handing the event to the bus ("rung fired") to the listener having the whole e-mail (before it
 * answers 250). Two runs:
 * - burst: BENCH_NOTIFY_EVENTS events as fast as the bus takes them (8 in flight) → e-mails accepted
 *   per second (first event out → last e-mail in), latency p50/p99/max under that backlog;
 * - paced: BENCH_NOTIFY_PACED events at BENCH_NOTIFY_RATE per second → latency p50/p99/max at a load
 *   the service keeps up with (the figure an on-call manager feels).
 * Every event also writes an in-app row; each e-mail is one SMTP transaction on a pooled connection.
 * Also printed: this process's CPU time per e-mail and the machine's load average (the numbers of a
 * shared machine depend on it).
 *
 * Environment (all optional): BENCH_NOTIFY_EVENTS=2000, BENCH_NOTIFY_PACED=500, BENCH_NOTIFY_RATE=50,
 * BENCH_NOTIFY_PEOPLE=50, NOTIFY_SEND_CONCURRENCY=8, NOTIFY_DELIVERY_BATCH=100,
 * BENCH_DATABASE_URL / TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test if it answers,
 * else an embedded PostgreSQL in a temp dir.
 */
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { SMTPServer } from 'smtp-server';
import { newEnvelope, topicOf } from '@aftersales/contracts';
import { InProcessBus } from '@aftersales/messaging';
import { dropSchema, uniqueSchema } from '@aftersales/persistence';
import { signDevToken, startService } from '@aftersales/platform';
import { notifyService } from '../../services/notify/src/notify.service-definition';
import { benchDatabase } from './bench-database';

const SECRET = 'aftersales-bench-secret-0123456789';

type Figures = Record<string, number>;

/** A local SMTP listener that notes when each case's e-mail was fully received. */
async function listener(onMail: (caseId: string) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1024 * 1024,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 8192) head += c.toString('latin1');
      });
      stream.on('end', () => {
        const caseId = /^X-Aftersales-Case:\s*(\S+)/im.exec(head)?.[1];
        if (caseId) onMail(caseId);
        callback();
      });
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { port: (server.server.address() as AddressInfo).port, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

function rung(caseId: string, role: string) {
  const at = new Date().toISOString();
  return newEnvelope({
    type: 'escalation.rung.reached.v1' as const,
    source: 'aftersales/bench/north',
    subject: caseId,
    data: {
      clockId: randomUUID(),
      caseId,
      region: 'north',
      severity: 'P1' as const,
      policyId: 'ladder-b',
      policyVersion: 1,
      eventKey: 'rung:0',
      dueAt: at,
      firedAt: at,
      target: 'diagnosis',
      rungIndex: 0,
      afterMinutes: 10,
      label: '10min: Manager1 / senior engineer',
      notifyRoles: [role],
    },
  });
}

export async function benchNotify(): Promise<Array<{ title: string; figures: Figures }>> {
  const events = Number(process.env.BENCH_NOTIFY_EVENTS ?? 2000);
  const paced = Number(process.env.BENCH_NOTIFY_PACED ?? 500);
  const rate = Number(process.env.BENCH_NOTIFY_RATE ?? 50);
  const people = Number(process.env.BENCH_NOTIFY_PEOPLE ?? 50);
  const db = await benchDatabase('notify');
  const schema = uniqueSchema('bench_notify');
  const fired = new Map<string, number>();
  const latencies: number[] = [];
  let lastMailAt = 0;
  let waiting: { n: number; done: () => void } | undefined;
  const smtp = await listener((caseId) => {
    const t0 = fired.get(caseId);
    if (t0 === undefined) return;
    fired.delete(caseId);
    lastMailAt = performance.now();
    latencies.push(lastMailAt - t0);
    if (waiting && latencies.length >= waiting.n) waiting.done();
  });
  const bus = new InProcessBus();
  const service = await startService(notifyService, {
    bus,
    databaseUrl: db.url,
    env: {
      JWT_SECRET: SECRET,
      PORT: '0',
      REGION: 'north',
      DB_SCHEMA: schema,
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: process.env.DB_POOL_SIZE ?? '10',
      NOTIFY_SMTP_HOST: '127.0.0.1',
      NOTIFY_SMTP_PORT: String(smtp.port),
      NOTIFY_SMTP_STARTTLS: 'off',
      NOTIFY_DELIVERY_POLL_MS: '200',
      NOTIFY_DELIVERY_BATCH: process.env.NOTIFY_DELIVERY_BATCH ?? '100',
      NOTIFY_SEND_CONCURRENCY: process.env.NOTIFY_SEND_CONCURRENCY ?? '8',
      NOTIFY_RATE_LIMIT: '0',
      NOTIFY_DIGEST_MINUTES: '0',
    },
  });
  const out: Array<{ title: string; figures: Figures }> = [];
  try {
    const admin = await signDevToken(SECRET, { sub: 'bench', roles: ['admin'], region: 'north' });
    for (let i = 0; i < people; i++) {
      const res = await fetch(`${service.url}/people/bench-${i}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: `Bench ${i}`,
          region: 'north',
          roles: [`bench-role-${i}`],
          language: 'en',
          email: `bench-${i}@example.com`,
        }),
      });
      if (res.status !== 200) throw new Error(`PUT /people answered ${res.status}: ${await res.text()}`);
    }
    const topic = topicOf('escalation.rung.reached.v1');
    const run = async (n: number, pacePerSecond: number | undefined): Promise<Figures> => {
      latencies.length = 0;
      const all = new Promise<void>((done) => (waiting = { n, done }));
      const started = performance.now();
      const cpu = process.cpuUsage();
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < n; i = next++) {
          if (pacePerSecond) {
            const due = started + (i * 1000) / pacePerSecond;
            const wait = due - performance.now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          }
          const e = rung(randomUUID(), `bench-role-${i % people}`);
          fired.set(e.subject, performance.now());
          await bus.publish(topic, [e]);
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      const published = performance.now();
      await Promise.race([all, new Promise((r) => setTimeout(r, 300_000))]);
      const used = process.cpuUsage(cpu);
      const sorted = [...latencies].sort((a, b) => a - b);
      const seconds = (lastMailAt - started) / 1000;
      return {
        events: n,
        'e-mails accepted': sorted.length,
        'e-mails/s (first event → last mail)': sorted.length / seconds,
        'events handed to notify/s': n / ((published - started) / 1000),
        'rung → mail p50 ms': pct(sorted, 50),
        'rung → mail p99 ms': pct(sorted, 99),
        'rung → mail max ms': sorted[sorted.length - 1] ?? NaN,
        // this process only (service, bus and listener); PostgreSQL's share is not in it
        'node CPU ms per e-mail': (used.user + used.system) / 1000 / Math.max(1, sorted.length),
        'machine load (1 min avg)': loadavg()[0] ?? NaN,
      };
    };
    await run(Math.min(50, events), undefined); // warm-up: pool connections, JIT, plans
    out.push({ title: `notify burst: ${events} P1 rungs → SMTP (${db.source})`, figures: await run(events, undefined) });
    out.push({ title: `notify paced: ${paced} P1 rungs at ${rate}/s → SMTP (${db.source})`, figures: await run(paced, rate) });
  } finally {
    await service.close();
    await bus.close();
    await smtp.close();
    await dropSchema(db.url, schema).catch(() => undefined);
    await db.stop();
  }
  return out;
}
