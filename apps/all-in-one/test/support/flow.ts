import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { ALL_TOPICS, dlqTopic, retryTopic } from '@aftersales/contracts';
import { httpJson, runPool, TestKafka, waitFor } from '@aftersales/testing';

/**
 * The walking skeleton's flow as a user sees it, shared by the distributed e2e tests:
 * file requests at intake, then check that each one became exactly one case with one SLA clock,
 * one acknowledgement, one spares record and one survey record.
 */

export const REQUEST_BODY = (i: number, tag: string) => ({
  customerId: `C-${tag}-${i % 17}`,
  contact: { name: `Li ${i}`, email: `li.${i}@example.com` },
  channel: 'phone',
  severity: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4],
  symptom: `array offline (${tag} #${i})`,
});

/** Requests are filed only for registered customers: registers the ones REQUEST_BODY uses for `tag` (already there is fine). */
export async function registerCustomers(intakeUrl: string, token: string, tag: string): Promise<void> {
  for (let k = 0; k < 17; k++) {
    const res = await httpJson(`${intakeUrl}/customers`, {
      method: 'POST',
      token,
      body: { id: `C-${tag}-${k}`, name: `Customer ${tag} ${k}` },
    });
    if (res.status !== 201 && res.status !== 409) throw new Error(`POST /customers answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
}

/** Which table of which service schema holds each follow-up record. */
export interface Schemas {
  intake: string;
  case: string;
  escalation: string;
  notify: string;
  spares: string;
  survey: string;
}

export interface Outcome {
  requestId: string;
  caseIds: string[];
  clocks: number;
  notifications: number;
  spares: number;
  survey: number;
}

export type Part = 'clocks' | 'notifications' | 'spares' | 'survey';
export const ALL_PARTS: Part[] = ['clocks', 'notifications', 'spares', 'survey'];

/** Counts, straight from each service's schema, what every request led to. */
export async function outcomes(db: Client, s: Schemas, requestIds: string[]): Promise<Outcome[]> {
  const cases = await db.query<{ request_id: string; id: string }>(
    `SELECT request_id, id FROM "${s.case}".cases WHERE request_id = ANY($1::uuid[])`,
    [requestIds],
  );
  const caseIds = cases.rows.map((r) => r.id);
  const perCase = async (table: string) => {
    const r = await db.query<{ case_id: string; n: number }>(
      `SELECT case_id, count(*)::int AS n FROM ${table} WHERE case_id = ANY($1::uuid[]) GROUP BY case_id`,
      [caseIds],
    );
    return new Map(r.rows.map((x) => [x.case_id, x.n]));
  };
  // one after the other: a pg Client runs one query at a time anyway
  const clocks = await perCase(`"${s.escalation}".sla_clocks`);
  const notifications = await perCase(`"${s.notify}".notifications`);
  const spares = await perCase(`"${s.spares}".case_demands`);
  const survey = await perCase(`"${s.survey}".survey_cases`);
  const byRequest = new Map<string, string[]>(requestIds.map((id) => [id, []]));
  for (const r of cases.rows) byRequest.get(r.request_id)?.push(r.id);
  const sum = (m: Map<string, number>, ids: string[]) => ids.reduce((n, id) => n + (m.get(id) ?? 0), 0);
  return requestIds.map((requestId) => {
    const ids = byRequest.get(requestId)!;
    return {
      requestId,
      caseIds: ids,
      clocks: sum(clocks, ids),
      notifications: sum(notifications, ids),
      spares: sum(spares, ids),
      survey: sum(survey, ids),
    };
  });
}

/** One line per request that does not have exactly one of each, naming what it lacks or doubles. */
export function problems(list: Outcome[], parts: Part[] = ALL_PARTS): string[] {
  const out: string[] = [];
  for (const o of list) {
    const issues: string[] = [];
    if (o.caseIds.length !== 1) issues.push(o.caseIds.length === 0 ? 'no case' : `${o.caseIds.length} cases (${o.caseIds.join(', ')})`);
    if (o.caseIds.length > 0) {
      for (const p of parts) if (o[p] !== o.caseIds.length) issues.push(`${o[p]} ${p} for ${o.caseIds.length} case(s)`);
    }
    if (issues.length) out.push(`request ${o.requestId}${o.caseIds.length === 1 ? ` (case ${o.caseIds[0]})` : ''}: ${issues.join(', ')}`);
  }
  return out;
}

/** A short account of what is missing, as the "last state" of a timed-out wait. */
export function summary(list: Outcome[], parts: Part[] = ALL_PARTS): string {
  const missing = (p: Part) => list.filter((o) => o.caseIds.length > 0 && o[p] === 0).length;
  const bad = problems(list, parts);
  return (
    `${list.length} requests: ${list.filter((o) => o.caseIds.length === 0).length} without a case` +
    parts.map((p) => `, ${missing(p)} cases without ${p}`).join('') +
    (bad.length ? `; first: ${bad.slice(0, 5).join(' | ')}` : '')
  );
}

/** Waits until every request has at least its case and each follow-up record. */
export async function waitForOutcomes(
  db: Client,
  s: Schemas,
  requestIds: string[],
  o: { timeoutMs: number; parts?: Part[] },
): Promise<Outcome[]> {
  const parts = o.parts ?? ALL_PARTS;
  return waitFor(
    `every request to have a case and its ${parts.join(', ')}`,
    async () => {
      const list = await outcomes(db, s, requestIds);
      const complete = list.every((x) => x.caseIds.length > 0 && parts.every((p) => x[p] >= x.caseIds.length));
      if (complete) return list;
      throw new Error(summary(list, parts)); // shown as the last state on timeout
    },
    { timeoutMs: o.timeoutMs, intervalMs: 250 },
  );
}

/**
 * Waits until no service has anything left to publish (so no event is still on its way that
 * could add a duplicate), and returns the outbox rows set aside as dead per schema.
 */
export async function waitForQuiet(db: Client, schemas: string[], timeoutMs = 30_000): Promise<Record<string, number>> {
  return waitFor(
    'every outbox to be fully published',
    async () => {
      const dead: Record<string, number> = {};
      const pending: string[] = [];
      for (const schema of schemas) {
        const [r] = (
          await db.query(
            `SELECT count(*) FILTER (WHERE sent_at IS NULL AND dead_at IS NULL)::int AS pending,
                    count(*) FILTER (WHERE dead_at IS NOT NULL)::int AS dead
             FROM "${schema}".outbox`,
          )
        ).rows;
        if (r.pending) pending.push(`${schema}: ${r.pending} unsent`);
        dead[schema] = r.dead;
      }
      if (pending.length) throw new Error(pending.join(', '));
      return dead;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

export interface FiledRequest {
  id: string;
  index: number;
  acceptedAt: number;
  /** how long the POST took */
  ms: number;
}

/** POSTs `count` requests, `concurrency` at a time; a failed POST fails the whole run with its answer. */
export async function fileRequests(
  intakeUrl: string,
  token: string,
  count: number,
  o: { concurrency: number; tag: string; onFiled?: (r: FiledRequest) => void },
): Promise<FiledRequest[]> {
  await registerCustomers(intakeUrl, token, o.tag);
  return runPool(count, o.concurrency, async (i) => {
    const sent = Date.now();
    const res = await httpJson(`${intakeUrl}/requests`, {
      method: 'POST',
      token,
      body: REQUEST_BODY(i, o.tag),
      headers: { 'Idempotency-Key': `${o.tag}-${i}` },
    });
    if (res.status !== 201 || typeof res.body?.id !== 'string') {
      throw new Error(`POST /requests #${i} answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    const acceptedAt = Date.now();
    const filed = { id: res.body.id as string, index: i, acceptedAt, ms: acceptedAt - sent };
    o.onFiled?.(filed);
    return filed;
  });
}

export interface ApiUrls {
  intake: string;
  case: string;
  escalation: string;
  spares: string;
  survey: string;
  notify: string;
}

/** What an agent sees through the six APIs for one request; returns the problems found. */
export async function checkThroughApis(urls: ApiUrls, token: string, requestId: string): Promise<string[]> {
  const p: string[] = [];
  const get = (url: string) => httpJson(url, { token });
  const req = await get(`${urls.intake}/requests/${requestId}`);
  if (req.status !== 200 || req.body.id !== requestId) p.push(`GET /requests/${requestId} → ${req.status} ${JSON.stringify(req.body)}`);
  const cases = await get(`${urls.case}/cases?requestId=${requestId}`);
  if (cases.status !== 200 || cases.body.total !== 1 || cases.body.items?.length !== 1) {
    p.push(`GET /cases?requestId=${requestId} → ${cases.status}, total ${cases.body?.total}`);
    return p.map((x) => `request ${requestId}: ${x}`);
  }
  const c = cases.body.items[0];
  if (c.requestId !== requestId || typeof c.caseNumber !== 'string') p.push(`case ${JSON.stringify(c)} does not belong to the request`);
  const clocks = await get(`${urls.escalation}/cases/${c.id}/clocks`);
  if (clocks.status !== 200 || clocks.body.items?.length !== 1)
    p.push(`GET /cases/${c.id}/clocks → ${clocks.status}, ${clocks.body.items?.length} clocks`);
  else if (clocks.body.items[0].state !== 'running') p.push(`clock of case ${c.id} is ${clocks.body.items[0].state}, not running`);
  const notes = await get(`${urls.notify}/notifications?caseId=${c.id}`);
  if (notes.status !== 200 || notes.body.total !== 1)
    p.push(`GET /notifications?caseId=${c.id} → ${notes.status}, total ${notes.body?.total}`);
  else if (notes.body.items[0].template !== 'case-acknowledgement' || notes.body.items[0].recipient !== req.body.contact?.email) {
    p.push(`notification of case ${c.id} is ${JSON.stringify(notes.body.items[0])}`);
  }
  const spares = await get(`${urls.spares}/cases/${c.id}`);
  if (spares.status !== 200 || spares.body.caseId !== c.id) p.push(`spares GET /cases/${c.id} → ${spares.status}`);
  const survey = await get(`${urls.survey}/cases/${c.id}`);
  if (survey.status !== 200 || survey.body.caseNumber !== c.caseNumber)
    p.push(`survey GET /cases/${c.id} → ${survey.status} ${JSON.stringify(survey.body)}`);
  return p.map((x) => `request ${requestId}: ${x}`);
}

/** Evenly spread sample of `n` items. */
export function sample<T>(list: T[], n: number): T[] {
  if (list.length <= n) return list;
  return Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]!);
}

/** A real cluster does not auto-create topics as the mock does: create the platform's topics there. */
export async function ensureTopics(kafka: TestKafka): Promise<void> {
  if (kafka.kind !== 'env') return;
  const admin = new Kafka({ clientId: 'aftersales-e2e-admin', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = ALL_TOPICS.flatMap((t) => [t, retryTopic(t), dlqTopic(t)]).filter((t) => !existing.has(t));
    if (wanted.length) await admin.createTopics({ waitForLeaders: true, topics: wanted.map((topic) => ({ topic, numPartitions: 4 })) });
  } finally {
    await admin.disconnect();
  }
}

export async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    for (const s of schemas) await db.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await db.end();
  }
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Time from each request's receipt at intake to its acknowledgement, from the two schemas. */
export async function endToEndLatencies(
  db: Client,
  s: Schemas,
  requestIds: string[],
): Promise<{ first: number; last: number; latencies: number[] }> {
  const r = await db.query<{ received: Date; notified: Date }>(
    `SELECT r.received_at AS received, n.created_at AS notified
       FROM "${s.intake}".service_requests r
       JOIN "${s.case}".cases c ON c.request_id = r.id
       JOIN "${s.notify}".notifications n ON n.case_id = c.id
      WHERE r.id = ANY($1::uuid[])`,
    [requestIds],
  );
  const latencies = r.rows.map((x) => x.notified.getTime() - x.received.getTime()).sort((a, b) => a - b);
  const first = Math.min(...r.rows.map((x) => x.received.getTime()));
  const last = Math.max(...r.rows.map((x) => x.notified.getTime()));
  return { first, last, latencies };
}
