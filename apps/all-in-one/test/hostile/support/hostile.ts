import fc from 'fast-check';
import { bodySchema, fillPath, OpenApiDocument, pathParams, queryParams, resolve, Route, Schema } from './openapi';
import { Seeded } from './seed';

/** Strings a careless or hostile client sends: NUL, lone surrogates, injections, odd unicode, numbers as text. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\ufeff',
  '\u202e\u0041\u0042',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀 中文 العربية',
  "' OR '1'='1",
  "'; DROP TABLE customers; --",
  '1; SELECT pg_sleep(0)',
  '"; DELETE FROM cases WHERE ""="',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{7*7}}',
  '${jndi:ldap://x/a}',
  '../../../../etc/passwd',
  '..%2f..%2f',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '0x10',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '2026-02-30',
  '2026-05-04T09:00:00',
  '9999-12-31T23:59:59+14:00',
  'P1',
  'north',
];

const huge = (n: number) => 'A'.repeat(n);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(huge(300), huge(5_000), huge(70_000)) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
);

/** Values of any JSON type, hostile strings among them. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, [], {}, [null], { a: null }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(nested(40), nested(1_600), nested(1_600, [])) },
);

function nested(depth: number, shape: object = {}): unknown {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = Array.isArray(shape) ? [v] : { a: v };
  return v;
}

/** A value that fits the schema (what a valid request would send), from its enum, format or type. */
export function validValue(doc: OpenApiDocument, s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(doc, s);
  if (!schema || depth > 4) return fc.constant('x');
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (schema.allOf?.length) return validValue(doc, schema.allOf[0], depth + 1);
  if (schema.oneOf?.length || schema.anyOf?.length) return validValue(doc, (schema.oneOf ?? schema.anyOf)![0], depth + 1);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time') return fc.constantFrom('2026-05-04T09:00:00Z', '2026-05-04T17:30:00+08:00');
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date') return fc.constant('2026-05-04');
      if (typeof schema.example === 'string') return fc.constant(schema.example);
      return fc.constantFrom('X-1', 'storage', 'Li Wei', '2026-05-04', 'fan noise');
    case 'integer':
      return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 100, 1_000) });
    case 'number':
      return fc.double({ min: 0, max: 100, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(doc, schema.items, depth + 1), { maxLength: 3 });
    case 'object':
    default: {
      const props = schema.properties ?? {};
      const keys = Object.keys(props);
      if (!keys.length) return fc.dictionary(fc.constantFrom('a', 'b'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 });
      const model = Object.fromEntries(keys.map((k) => [k, validValue(doc, props[k], depth + 1)]));
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => keys.includes(k)) });
    }
  }
}

/** A body a hostile client sends: a valid one with one field broken, extra or prototype keys, or anything at all. */
export function hostileBody(doc: OpenApiDocument, schema: Schema | undefined): fc.Arbitrary<unknown> {
  const valid = validValue(doc, schema);
  const keys = Object.keys(resolve(doc, schema)?.properties ?? {});
  const broken = keys.length
    ? fc.tuple(valid, fc.constantFrom(...keys), hostileValue).map(([b, k, v]) => ({ ...(b as object), [k]: v }))
    : hostileValue;
  const extraKey = fc
    .tuple(valid, fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'region', 'customerId', 'a\u0000'), hostileValue)
    .map(([b, k, v]) =>
      JSON.parse(
        JSON.stringify(b ?? {})
          .replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'},`)
          .replace(/,}$/, '}'),
      ),
    );
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 5, arbitrary: broken },
    { weight: 1, arbitrary: extraKey },
    { weight: 2, arbitrary: hostileValue },
  );
}

/** Bytes and content types that are not the JSON a route expects. */
export const WRONG_CONTENT: Array<{ contentType: string | undefined; body: string | Buffer }> = [
  { contentType: 'text/plain', body: '{"id":"C-1"}' },
  { contentType: 'application/x-www-form-urlencoded', body: 'id=C-1&name=%00&__proto__[admin]=1' },
  { contentType: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
  { contentType: 'multipart/form-data; boundary=zz', body: '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\n\u0000\r\n--zz--' },
  { contentType: 'multipart/form-data', body: 'no boundary' },
  { contentType: 'application/json', body: '{"id":' },
  { contentType: 'application/json', body: '' },
  { contentType: 'application/json', body: Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d]) },
  { contentType: 'application/json', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]) },
  { contentType: 'application/json; charset=utf-16', body: '{}' },
  { contentType: 'application/json', body: '\ufeff{"a":1}' },
  { contentType: 'application/json', body: '[' + '['.repeat(20_000) + ']'.repeat(20_000) + ']' },
  { contentType: 'application/json', body: JSON.stringify({ big: huge(80_000) }) },
  { contentType: 'text/csv', body: 'id,name\n"C-\u0000",x\n' },
  { contentType: 'text/calendar', body: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:2026100\r\nEND:VEVENT\r\n' },
  { contentType: undefined, body: 'raw' },
];

/** The valid value of each path parameter: the seeded record the route's path names. */
export function seededParams(r: Route, s: Seeded): Record<string, string> {
  const base = r.path.split('/')[1] ?? '';
  const idOf: Record<string, string | undefined> = {
    customers: s.customerId,
    sites: s.siteId,
    contacts: s.contactId,
    contracts: s.contractId,
    assets: s.assetId,
    calendars: s.calendarId,
    requests: s.requestId,
    voicemails: s.voicemailId,
    cases: s.caseId,
    engineers: s.engineerId,
    knowledge: s.articleId,
    policies: s.policyId,
    depots: s.depotId,
    'part-requests': s.partRequestId,
    'repair-orders': s.repairOrderId,
    people: s.personId,
    deliveries: s.deliveryId ?? '00000000-0000-4000-8000-000000000000',
    agreements: s.agreementId,
    'engineer-loans': s.loanId,
    'part-asks': s.askId,
    'purchase-plans': s.purchasePlanId,
    returns: s.returnId,
    surveys: s.surveyId,
    callbacks: s.callbackId,
    templates: 'case-acknowledgement',
    emails: s.emailId,
    attachments: s.attachmentId,
    inspections: s.inspectionId,
    'maintenance-records': s.maintenanceRecordId,
  };
  const values: Record<string, string> = {};
  for (const p of pathParams(r)) {
    values[p.name] =
      {
        id: idOf[base] ?? '00000000-0000-4000-8000-000000000000',
        caseId: s.caseId,
        caseNumber: s.caseNumber,
        visitId: s.visitId,
        reportId: s.reportId,
        party: 'customer',
        kind: 'customers',
        policyId: s.policyId,
        version: '1',
        region: 'north',
        contractId: s.contractId,
        customerId: s.customerId,
        partNumber: s.partNumber,
        model: s.model,
        role: 'agent',
        inboundId: '00000000-0000-4000-8000-000000000000',
        language: 'zh-CN',
        week: s.week,
        itemId: s.inspectionItemId,
      }[p.name] ?? 'x';
  }
  return values;
}

/** A path segment as a client would put it on the wire: percent-encoded, lone surrogates as raw (invalid) UTF-8 bytes. */
export function encodeSegment(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return [...v]
      .map((ch) => {
        const c = ch.charCodeAt(0);
        if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff)
          return `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`;
        return encodeURIComponent(ch);
      })
      .join('');
  }
}

export interface HostileRequest {
  route: string;
  method: string;
  path: string;
  contentType?: string;
  body?: string | Buffer;
  idempotencyKey?: string;
}

/** Requests for one route: hostile path parameters, query strings, bodies and content types, the rest valid. */
export function hostileRequests(r: Route, seeded: Seeded): fc.Arbitrary<HostileRequest> {
  const params = pathParams(r);
  const valid = seededParams(r, seeded);
  const pathArb: fc.Arbitrary<Record<string, string>> = params.length
    ? fc.oneof(
        { weight: 3, arbitrary: fc.constant(valid) },
        {
          weight: 2,
          arbitrary: fc
            .tuple(fc.constantFrom(...params.map((p) => p.name)), hostileString)
            .map(([name, v]) => ({ ...valid, [name]: v.length > 2_000 ? v.slice(0, 2_000) : v })),
        },
      )
    : fc.constant({});
  const queryNames = queryParams(r).map((p) => p.name);
  const queryArb = fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...queryNames, 'unknown', '__proto__', 'limit', 'a\u0000'), fc.oneof(hostileString, fc.constant('1')))
        .map(([k, v]) => `?${encodeSegment(k)}=${encodeSegment(v.slice(0, 3_000))}`),
    },
    { weight: 1, arbitrary: fc.constantFrom('?limit=-1', '?limit=1e9', '?offset=abc', '?limit=1&limit=2', '?a[b][c]=1', '?%zz=1') },
  );
  const schema = bodySchema(r);
  const takesBody = r.method !== 'GET' && r.method !== 'HEAD';
  const bodyArb: fc.Arbitrary<{ contentType?: string; body?: string | Buffer }> = takesBody
    ? fc.oneof(
        {
          weight: 6,
          arbitrary: hostileBody(r.doc, schema).map((b) => ({ contentType: 'application/json', body: JSON.stringify(b) ?? 'null' })),
        },
        { weight: 1, arbitrary: fc.constantFrom(...WRONG_CONTENT) },
        { weight: 1, arbitrary: fc.constant({}) },
      )
    : fc.constant({});
  const keyArb = fc.option(fc.constantFrom('k-1', 'k-2', '', ' ', 'a'.repeat(300), 'k\u00e9', "' OR 1=1"), { freq: 5 });
  return fc.record({ path: pathArb, query: queryArb, body: bodyArb, key: keyArb }).map(({ path, query, body, key }) => ({
    route: `${r.service} ${r.method} ${r.path}`,
    method: r.method,
    path: fillPath(r.path, Object.fromEntries(Object.entries(path).map(([k, v]) => [k, encodeSegment(v)]))) + query,
    contentType: body.contentType,
    body: body.body,
    ...(key === null ? {} : { idempotencyKey: key }),
  }));
}
