import { Seeded } from './seed';

/** A body each write about a record would be accepted with, so that the scope, not validation, decides (default `{}`). */
export const BODIES: Record<string, (s: Seeded) => unknown> = {
  'PATCH /customers/{id}': () => ({ name: 'renamed' }),
  'PATCH /sites/{id}': () => ({ name: 'renamed' }),
  'PATCH /contacts/{id}': () => ({ name: 'renamed' }),
  'PATCH /contracts/{id}': () => ({ homeCity: 'Tianjin' }),
  'PATCH /assets/{id}': () => ({ model: 'OceanStor 6800' }),
  'POST /engineer-loans/{id}/approve': (s) => ({ engineerId: s.engineerId }),
  'POST /engineer-loans/{id}/decline': () => ({ reason: 'matrix' }),
  'POST /engineer-loans/{id}/worklog': () => ({ text: 'matrix' }),
  'POST /emails/{id}/file': (s) => ({ customerId: s.customerId }),
  'POST /voicemails/{id}/record': (s) => ({ customerId: s.customerId, symptom: 'server down' }),
  'POST /cases/{id}/transitions': () => ({ to: 'in-progress' }),
  'POST /cases/{id}/assignment': (s) => ({ engineerId: s.engineerId, reason: 'matrix' }),
  'POST /cases/{id}/worklog': () => ({ kind: 'note', text: 'matrix' }),
  'POST /cases/{id}/diagnosis': () => ({ summary: 'fan failed' }),
  'POST /cases/{id}/visits': (s) => ({ engineerId: s.engineerId, plannedArrivalAt: '2026-05-05T09:00:00Z' }),
  'POST /cases/{id}/visits/{visitId}/completion': () => ({ workDone: 'again' }),
  'POST /cases/{id}/visits/{visitId}/report': () => ({ diagnosis: 'fan failed' }),
  'POST /cases/{id}/reports/{reportId}/signatures/{party}': () => ({ typedName: 'Li Wei' }),
  'POST /cases/{id}/vendor-case': () => ({ vendor: 'Huawei', vendorCaseNumber: 'HW-1' }),
  'PATCH /cases/{id}/vendor-case': () => ({ vendorStatus: 'waiting for parts' }),
  'PUT /regions/{region}/policy': () => ({ policyId: 'ladder-a' }),
  'PUT /cases/{id}/downtime': () => ({ cause: 'supplier', reason: 'controller firmware defect' }),
  'POST /inspections/{id}/findings': () => ({ symptom: 'cache battery failing' }),
  'POST /inspections/{id}/report/signatures/{party}': () => ({ typedName: 'Li Wei' }),
  'PUT /inspections/{id}/items/{itemId}': () => ({ result: 'pass' }),
  'POST /contracts/{contractId}/maintenance-plans': () => ({ kind: 'remote-check', everyMonths: 3 }),
  'PUT /inspection-checklists/{model}': () => ({ items: [{ itemId: 'fans', text: 'fans spin' }] }),
  // notify
  'PUT /people/{id}': (s) => ({ name: 'Sun', region: 'north', roles: ['agent'], email: `${s.personId}@example.com` }),
  'PUT /rotations/{region}/{role}': (s) => ({ shifts: [{ personId: s.personId, day: 1, start: '09:00', end: '18:00' }] }),
  'PUT /webhooks/{customerId}': () => ({ url: 'https://hooks.example.com/matrix', secret: 'a-webhook-secret-of-length' }),
  'POST /templates/{id}/preview': () => ({ language: 'zh-CN' }),
  'PUT /templates/{id}/{language}': () => ({ subject: '{{caseNumber}}', text: 'case {{caseNumber}}' }),
  // spares
  'POST /depots/{id}/inbound': (s) => ({ partNumber: s.partNumber, quantity: 1, expectedAt: '2026-05-10T09:00:00+08:00' }),
  'POST /depots/{id}/stock-in': (s) => ({ partNumber: s.partNumber, quantity: 1 }),
  'PUT /depots/{id}/stock/{partNumber}/minimum': () => ({ minLevel: 1 }),
  'POST /part-requests/{id}/reject': () => ({ reason: 'matrix' }),
  'POST /part-requests/{id}/cancel': () => ({ reason: 'matrix' }),
  'POST /part-requests/{id}/doa-exchange': () => ({ reason: 'matrix' }),
  'POST /part-requests/{id}/ship': () => ({ carrier: 'SF', trackingNumber: 'SF-1' }),
  'POST /purchase-plans/{id}/lines': (s) => ({ lines: [{ partNumber: s.partNumber, quantity: 1 }] }),
  'POST /purchase-plans/{id}/order': (s) => ({ depotId: s.depotId }),
  'POST /repair-orders/{id}/diagnose': () => ({ fault: 'fan bearing' }),
  'POST /returns/{id}/receive': () => ({ condition: 'as shipped' }),
  'POST /returns/{id}/disposition': () => ({ outcome: 'scrapped', reason: 'matrix' }),
  'PUT /contracts/{contractId}/repair-terms': () => ({ quotePercent: 12 }),
  // survey
  'PUT /cases/{caseId}/tags': () => ({ tags: ['LSP'] }),
  'POST /callbacks/{id}/outcome': () => ({ outcome: 'reached' }),
  'PATCH /surveys/{id}/answer': () => ({ scores: { responseTime: 5 } }),
};
/** Query a list route needs to answer 200. */
export const QUERIES: Record<string, (s: Seeded) => string> = {
  '/desk/lookup': (s) => `?serial=${s.serialNumber}`,
  '/knowledge/search': () => '?q=fan',
  // the seeded region's view of the week (a global token's own region has none)
  '/periods/{week}': () => '?region=north',
  '/reports/weeks/{week}': () => '?region=north',
  '/reports/weeks/{week}/cases': () => '?region=north',
  '/firings': () => '?since=2026-01-01T00:00:00Z',
};

const ICS = [
  'BEGIN:VCALENDAR',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20261001',
  'DTEND;VALUE=DATE:20261008',
  'SUMMARY:National Day',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

/** A valid request for each collection write (what an integrator sends), with its content type when not JSON. */
export const CREATES: Record<string, (s: Seeded) => { body: unknown; contentType?: string }> = {
  'POST /customers': () => ({ body: { id: 'C-NEW', name: 'New customer' } }),
  'POST /sites': (s) => ({ body: { id: 'S-NEW', customerId: s.customerId, name: 'Depot', city: 'Beijing' } }),
  'POST /contacts': (s) => ({ body: { id: 'P-NEW', customerId: s.customerId, name: 'Wang Fang', email: 'wang@example.com' } }),
  'POST /contracts': (s) => ({
    body: {
      id: 'K-NEW',
      customerId: s.customerId,
      coverage: 'business-hours',
      calendarId: s.calendarId,
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
    },
  }),
  'POST /assets': (s) => ({
    body: { id: 'A-NEW', customerId: s.customerId, model: 'R740', serialNumber: 'SN-NEW', warrantyEndsOn: '2027-01-01' },
  }),
  'POST /calendars': () => ({ body: { id: 'CAL-NEW', timeZone: 'Europe/Berlin', kind: '7x24' } }),
  'PATCH /calendars/{id}': () => ({ body: { holidays: [{ date: '2026-12-25', name: 'Christmas' }] } }),
  'POST /calendars/{id}/holidays': () => ({ body: ICS, contentType: 'text/calendar' }),
  'POST /imports/{kind}': () => ({ body: 'id,name\nC-IMP,Imported customer\n', contentType: 'text/csv' }),
  'POST /requests': (s) => ({
    body: {
      customerId: s.customerId,
      contactId: s.contactId,
      channel: 'phone',
      symptom: 'disk failure',
      serialNumber: s.serialNumber,
      impact: 'degraded',
      allowDuplicate: true,
      duplicateOverrideReason: 'another fault',
    },
  }),
  'POST /voicemails': () => ({
    body: { callerNumber: '+86 10 5555 0999', message: 'call me back', recordedAt: '2026-05-03T22:00:00+08:00' },
  }),
  'POST /engineers': () => ({
    body: { id: 'E-NEW', name: 'Qian', tier: 'L1', grade: 'maintenance-engineer', region: 'north', skills: ['storage'] },
  }),
  'PATCH /engineers/{id}': () => ({ body: { maxLoad: 12, superiorId: null } }),
  'POST /knowledge/articles': () => ({
    body: { title: 'Disk LED amber', symptom: 'amber LED', solution: 'replace disk', errorCodes: ['E-42'] },
  }),
  'PATCH /knowledge/articles/{id}': () => ({ body: { solution: 'replace the fan module' } }),
  'POST /knowledge/articles/{id}/withdraw': () => ({ body: { reason: 'superseded by the vendor bulletin' } }),
  'POST /policies/{policyId}/simulate': () => ({
    body: {
      severity: 'P1',
      startedAt: '2026-05-04T09:00:00+08:00',
      pauses: [{ from: '2026-05-04T10:00:00+08:00', to: '2026-05-04T11:00:00+08:00' }],
    },
  }),
  'PUT /calendars/{id}': () => ({
    body: { definition: { timeZone: 'Asia/Shanghai', kind: 'business-hours', weekly: { 1: [{ start: '09:00', end: '18:00' }] } } },
  }),
};
