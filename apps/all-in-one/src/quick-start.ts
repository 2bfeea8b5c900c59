import { DEMO } from './demo-data';

export interface QuickStartInfo {
  seconds: number;
  database: string;
  services: Array<{ name: string; url: string }>;
  /** the agent desk and customer portal */
  desk?: string;
  smtp: string;
  agentToken: string;
  adminToken: string;
  /** AFTERSALES_PORT_BASE when not the default, for `npm run seed` */
  portBase?: number;
  /** the demo data is already loaded (`npm start -- --demo`) */
  seeded: boolean;
}

/**
 * What `npm start` prints: where everything is, then a block a newcomer pastes into another
 * terminal as is (no trailing comments: zsh does not take them interactively) that ends in an
 * assigned case with a running SLA clock and its notices.
 */
export function quickStartText(i: QuickStartInfo): string {
  const url = (name: string) => i.services.find((s) => s.name === name)!.url;
  const auth = '-H "Authorization: Bearer $TOKEN"';
  const request = {
    serialNumber: DEMO.serialNumber,
    contact: { name: 'Li Wei', email: DEMO.contactEmail },
    channel: 'phone',
    severity: 'P2',
    symptom: 'storage array offline',
  };
  const id = (expr: string) => `node -pe 'JSON.parse(fs.readFileSync(0, "utf8"))${expr}'`;
  // the request's case follows over the bus: try again until intake knows it (a failed call reads as
  // empty). Pasted again after a restart, the request joins the open case of the same asset at once.
  const caseOf = `node -pe 'JSON.parse(fs.readFileSync(0, "utf8") || "{}").caseId || process.exit(1)'`;
  return [
    '',
    `aftersales is up (all-in-one, ${i.seconds.toFixed(1)} s, ${i.database}, in-process bus)`,
    '',
    ...(i.desk ? [`  desk        ${i.desk}   agent desk and customer portal (development sign-in by role, region and customer)`] : []),
    ...i.services.map((s) => `  ${s.name.padEnd(11)} ${s.url}   docs ${s.url}/docs   metrics ${s.url}/metrics`),
    `  e-mail in   ${i.smtp}`,
    '',
    'Try it: paste these lines into another terminal, in this directory.',
    'TOKEN is an agent (files requests, reads cases); ADMIN_TOKEN is an admin, which registering',
    'contracts, calendars, engineers and role recipients needs (`npm run seed` uses it).',
    i.seeded
      ? 'The demo data (customer C-DEMO, its contract, calendar, asset, engineers, role recipients) is loaded.'
      : '`npm run seed` loads demo data: customer C-DEMO with site, contact, contracts, calendar, asset; engineers; role recipients.',
    'Both tokens last 12 h; others: npm run token -- --role manager --region local',
    '',
    `export TOKEN=${i.agentToken}`,
    `export ADMIN_TOKEN=${i.adminToken}`,
    ...(i.seeded ? [] : [`${i.portBase !== undefined && i.portBase !== 3000 ? `AFTERSALES_PORT_BASE=${i.portBase} ` : ''}npm run seed`]),
    `REQUEST=$(curl -sf -X POST ${url('intake')}/requests ${auth} -H 'Content-Type: application/json' -d '${JSON.stringify(request)}' | ${id('.id')})`,
    `for i in 1 2 3 4 5 6 7 8 9 10; do CASE=$(curl -sf ${url('intake')}/requests/$REQUEST ${auth} | ${caseOf}) && break; sleep 0.5; done`,
    `curl -s ${url('case')}/cases/$CASE ${auth}; echo`,
    `curl -s ${url('escalation')}/cases/$CASE/clocks ${auth}; echo`,
    `curl -s "${url('notify')}/notifications?caseId=$CASE" -H "Authorization: Bearer $ADMIN_TOKEN"; echo`,
    '',
    'The case is "assigned" to Wang Expert (P2: a senior second-line expert at once), its SLA clock',
    '"running" on ladder B, and notify recorded the acknowledgement to Li Wei and the major-case notice.',
    'Every delivery is in the log (GET /deliveries); a person reads their in-app inbox with a token whose sub is their id:',
    `  curl -s ${url('notify')}/inbox -H "Authorization: Bearer $(npm run -s token -- --role manager --region local --sub wang.fang)"`,
    process.env.NOTIFY_SMTP_HOST
      ? `E-mail goes out through smtp://${process.env.NOTIFY_SMTP_HOST}:${process.env.NOTIFY_SMTP_PORT ?? 587}.`
      : 'E-mail is off: NOTIFY_SMTP_HOST=127.0.0.1 NOTIFY_SMTP_PORT=1025 npm start sends it to Mailpit (docker compose up -d mailpit; http://localhost:8025).',
    'Stop with Ctrl-C; data stays in ./.data (AFTERSALES_DATA_DIR) for the next start.',
    '',
  ].join('\n');
}
