import { ManualClock } from '@aftersales/platform';
import { MaintenanceScheduler, SmtpListener } from '@aftersales/service-intake';
import { waitFor } from '@aftersales/testing';
import { createTransport } from 'nodemailer';
import { ServiceName, Stack, token } from './stack';

/** Ids of the records the seed made, by the path parameter names the OpenAPI documents use. */
export interface Seeded extends Partial<FollowUps>, Partial<ChannelAndTimerRecords> {
  customerId: string;
  siteId: string;
  contactId: string;
  contractId: string;
  assetId: string;
  calendarId: string;
  engineerId: string;
  articleId: string;
  requestId: string;
  caseId: string;
  caseNumber: string;
  visitId: string;
  reportId: string;
  voicemailId: string;
  policyId: string;
  phone: string;
  serialNumber: string;
  /** spares: a part of the catalog, a depot of the region with it in stock, a request for it and a repair order for the case */
  partNumber: string;
  depotId: string;
  partRequestId: string;
  repairOrderId: string;
  /** notify: a person of the region's directory, a delivery of the case (undefined: none was made) */
  personId: string;
  deliveryId?: string;
  /** intake: the checklist of the asset's model (reference data of every region) */
  model: string;
}

/** Calls as `as` that must succeed: the seed's own records. */
function caller(stack: Stack, as: string) {
  return async (name: ServiceName, method: string, path: string, body?: unknown) => {
    const res = await stack.get(name).http(method, path, { body, token: as });
    if (res.status >= 300) throw new Error(`seed ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
}

/** One customer's worth of records in every service (through the APIs, as a user makes them), for `region`. */
export async function seed(stack: Stack, o: { region?: string; suffix?: string; customerId?: string; n?: number } = {}): Promise<Seeded> {
  const region = o.region ?? 'north';
  const x = o.suffix ?? '1';
  // the contact's number: unique per seed (the desk looks callers up by it)
  const phone = `+86 10 5555 ${String(100 + (o.n ?? 1)).padStart(4, '0')}`;
  const admin = await token('admin', { region });
  const call = caller(stack, admin);
  const customerId = o.customerId ?? `C-${x}`;
  await call('intake', 'POST', '/customers', { id: customerId, name: `Customer ${x}` });
  await call('intake', 'POST', '/sites', { id: `S-${x}`, customerId, name: 'Head office', city: 'Beijing' });
  await call('intake', 'POST', '/contacts', { id: `P-${x}`, customerId, siteId: `S-${x}`, name: `Li Wei ${x}`, phone });
  await call('intake', 'POST', '/calendars', {
    id: `CAL-${x}`,
    timeZone: 'Asia/Shanghai',
    kind: 'business-hours',
    weekly: { 1: [{ start: '09:00', end: '18:00' }], 2: [{ start: '09:00', end: '18:00' }] },
  });
  await call('intake', 'POST', '/contracts', { id: `K-${x}`, customerId, coverage: '7x24', startsOn: '2026-01-01', endsOn: '2028-12-31' });
  await call('intake', 'POST', '/assets', {
    id: `A-${x}`,
    customerId,
    contractId: `K-${x}`,
    model: 'OceanStor 5500',
    serialNumber: `SN-${x}`,
  });
  const engineerId = `E-${x}`;
  await call('case', 'POST', '/engineers', { id: engineerId, name: `Zhao ${x}`, tier: 'L2', grade: 'product-engineer', region });
  const article = await call('case', 'POST', '/knowledge/articles', {
    title: `Fan noise ${x}`,
    symptom: 'loud fan',
    solution: 'replace the fan',
  });
  await call('case', 'POST', `/knowledge/articles/${article.id}/publish`);

  const request = await call('intake', 'POST', '/requests', {
    customerId,
    contactId: `P-${x}`,
    channel: 'phone',
    severity: 'P3',
    symptom: 'array offline',
    serialNumber: `SN-${x}`,
  });
  const c = await waitFor(`the case of request ${request.id}`, async () => {
    const r = await stack.get('intake').http('GET', `/requests/${request.id}`, { token: admin });
    return r.body.caseId ? r.body : undefined;
  });
  await call('case', 'POST', `/cases/${c.caseId}/assignment`, { engineerId, reason: 'on site' });
  const visit = await call('case', 'POST', `/cases/${c.caseId}/visits`, { engineerId, plannedArrivalAt: '2026-05-04T09:00:00Z' });
  await call('case', 'POST', `/cases/${c.caseId}/visits/${visit.id}/arrival`, {});
  await call('case', 'POST', `/cases/${c.caseId}/visits/${visit.id}/completion`, { workDone: 'replaced fan' });
  const report = await call('case', 'POST', `/cases/${c.caseId}/visits/${visit.id}/report`, { diagnosis: 'fan failed' });
  const voicemail = await call('intake', 'POST', '/voicemails', {
    callerNumber: phone,
    message: 'server down',
    recordedAt: '2026-05-02T22:00:00+08:00',
  });
  // the other three services' records about this customer and region
  const model = 'OceanStor 5500';
  await call('intake', 'PUT', `/inspection-checklists/${encodeURIComponent(model)}`, { items: [{ itemId: 'fans', text: 'fans spin' }] });
  const partNumber = `PN-${x}`;
  await call('spares', 'POST', '/parts', {
    partNumber,
    description: 'fan module',
    partClass: 'fan',
    unitCost: '10.00',
    contractPrice: '12.00',
    compatibleModels: [model],
  });
  const depotId = `D-${x}`;
  await call('spares', 'POST', '/depots', { id: depotId, name: `Depot ${x}`, region, city: 'Beijing' });
  await call('spares', 'POST', `/depots/${depotId}/stock-in`, { partNumber, quantity: 5 });
  await waitFor(
    `spares to know case ${c.caseId}`,
    async () => (await stack.get('spares').http('GET', `/cases/${c.caseId}`, { token: admin })).status === 200,
  );
  const partRequest = await call('spares', 'POST', '/part-requests', { caseId: c.caseId, partNumber, quantity: 1, depotId });
  const repairOrder = await call('spares', 'POST', '/repair-orders', {
    channel: 'carry-in',
    caseId: c.caseId,
    customerId,
    serialNumber: `SN-${x}`,
    condition: 'scratched lid',
  });
  const personId = `U-${x}`;
  await call('notify', 'PUT', `/people/${personId}`, { name: `Sun ${x}`, region, roles: ['agent'], email: `sun${x}@example.com` });
  await call('notify', 'PUT', `/rotations/${region}/agent`, { shifts: [{ personId, day: 1, start: '09:00', end: '18:00' }] });
  await call('notify', 'PUT', `/webhooks/${customerId}`, { url: `https://hooks.example.com/${x}`, secret: 'a-webhook-secret-of-length' });
  const deliveries = await call('notify', 'GET', `/deliveries?caseId=${c.caseId}`);
  return {
    partNumber,
    depotId,
    partRequestId: partRequest.id,
    repairOrderId: repairOrder.id,
    personId,
    deliveryId: deliveries.items[0]?.id,
    model,
    customerId,
    siteId: `S-${x}`,
    contactId: `P-${x}`,
    contractId: `K-${x}`,
    assetId: `A-${x}`,
    calendarId: `CAL-${x}`,
    engineerId,
    articleId: article.id,
    requestId: request.id,
    caseId: c.caseId,
    caseNumber: c.caseNumber,
    visitId: visit.id,
    reportId: report.id,
    voicemailId: voicemail.id,
    policyId: 'ladder-a',
    phone,
    serialNumber: `SN-${x}`,
  };
}

/** Records of later steps of a flow, made for the seeded customer through the APIs (ids by path base). */
export interface FollowUps {
  agreementId: string;
  loanId: string;
  askId: string;
  purchasePlanId: string;
  returnId: string;
  /** survey: the week's survey of a closed case, the callback its low scores asked for, the week */
  surveyId: string;
  callbackId: string;
  week: string;
}

/**
 * The later steps, for the records the seed made: a maintenance agreement, an engineer loan and a
 * part asked of region east, the contract's purchase plan (drafted by spares from the signed
 * contract), a faulty part owed back, the case's vendor case and an image signature of its report.
 */
export async function seedFollowUps(stack: Stack, s: Seeded, clock: ManualClock, region = 'north'): Promise<FollowUps> {
  const call = caller(stack, await token('admin', { region }));
  const agreement = await call('intake', 'POST', '/agreements', {
    customerId: s.customerId,
    contractId: s.contractId,
    assetIds: [s.assetId],
    coverage: 'business-hours',
    price: '12000.00',
    startsOn: '2026-03-01',
    endsOn: '2027-02-28',
  });
  // asked of a third region: the matrix's other region (south) is then no party to the loan or the ask
  const toRegion = 'east';
  const loan = await call('case', 'POST', '/engineer-loans', { caseId: s.caseId, toRegion, summary: 'a storage expert on site' });
  const ask = await call('spares', 'POST', '/part-asks', { caseId: s.caseId, toRegion, partNumber: s.partNumber, quantity: 1 });
  const plan = await waitFor(`the purchase plan of contract ${s.contractId}`, async () => {
    const plans = await call('spares', 'GET', `/purchase-plans?contractId=${s.contractId}`);
    return (plans as { items: Array<{ id: string }> }).items[0];
  });
  const shipped = await call('spares', 'POST', '/part-requests', {
    caseId: s.caseId,
    partNumber: s.partNumber,
    quantity: 1,
    depotId: s.depotId,
  });
  await call('spares', 'POST', `/part-requests/${shipped.id}/pick`, {});
  await call('spares', 'POST', `/part-requests/${shipped.id}/ship`, { carrier: 'SF', trackingNumber: 'SF-SEED' });
  const owed = await call('spares', 'POST', `/part-requests/${shipped.id}/returns`, {});
  await call('case', 'POST', `/cases/${s.caseId}/vendor-case`, { vendor: 'Huawei', vendorCaseNumber: `HW-${s.customerId}` });
  const form = new FormData();
  form.append('signature', new Blob([PNG], { type: 'image/png' }));
  form.append('signerName', 'Wang Fang');
  const signed = await fetch(`${stack.get('case').service.url}/cases/${s.caseId}/reports/${s.reportId}/signatures/customer`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token('customer', { customerId: s.customerId })}` },
    body: form,
  });
  if (signed.status !== 201) throw new Error(`seed signature image: ${signed.status} ${await signed.text()}`);
  return {
    agreementId: agreement.id,
    loanId: loan.id,
    askId: ask.id,
    purchasePlanId: plan.id,
    returnId: owed.id,
    ...(await surveyed(stack, s, clock, region)),
  };
}

/**
 * A second case of the customer worked and closed this week, the clock moved to the next Monday
 * 09:00 (Asia/Shanghai), the week's batch run: its survey, answered low by phone, asks for a callback.
 */
async function surveyed(stack: Stack, s: Seeded, clock: ManualClock, region: string) {
  const call = caller(stack, await token('admin', { region }));
  const request = await call('intake', 'POST', '/requests', {
    customerId: s.customerId,
    contactId: s.contactId,
    channel: 'phone',
    severity: 'P4',
    symptom: 'slow web console', // no serial number: a request about the same asset would join its open case
  });
  const caseId = await waitFor(`the case of request ${request.id}`, async () => {
    const r = await stack.get('intake').http('GET', `/requests/${request.id}`, { token: await token('admin', { region }) });
    return (r.body as { caseId: string | null }).caseId ?? undefined;
  });
  await call('case', 'POST', `/cases/${caseId}/assignment`, { engineerId: s.engineerId, reason: 'remote fix' });
  for (const to of ['in-progress', 'resolved']) await call('case', 'POST', `/cases/${caseId}/transitions`, { to });
  await call('case', 'POST', `/cases/${caseId}/transitions`, { to: 'closed', reason: 'customer confirmed by phone' });
  await waitFor(`survey to know case ${caseId} closed`, async () => {
    const r = await stack.get('survey').http('GET', `/cases/${caseId}`, { token: await token('admin', { region }) });
    return r.status === 200 && (r.body as { status?: string }).status === 'closed';
  });
  const monday = new Date(clock.now().getTime() + 7 * 86_400_000);
  clock.set(`${monday.toISOString().slice(0, 10)}T01:00:00Z`);
  await call('survey', 'POST', '/batches/run-due', {});
  const surveys = (await call('survey', 'GET', `/surveys?caseId=${caseId}`)) as { items: Array<{ id: string; week: string }> };
  const survey = surveys.items[0];
  if (!survey) throw new Error(`seed: no survey of case ${caseId}`);
  const { id: surveyId, week } = survey;
  await call('survey', 'POST', `/surveys/${surveyId}/answer`, { scores: { responseTime: 1, technicalSkill: 2, attitude: 1, outcome: 1 } });
  const callbacks = (await call('survey', 'GET', `/callbacks?week=${week}`)) as { items: Array<{ id: string; surveyId: string }> };
  const callbackId = callbacks.items.find((c) => c.surveyId === surveyId)?.id;
  if (!callbackId) throw new Error(`seed: no callback of survey ${surveyId}`);
  return { surveyId, callbackId, week };
}

/** Records of intake's channels and maintenance timer: an inbound mail, an uploaded file, a remote check's work order, a monthly record. */
export interface ChannelAndTimerRecords {
  emailId: string;
  attachmentId: string;
  inspectionId: string;
  /** the first item of the remote check's checklist */
  inspectionItemId: string;
  maintenanceRecordId: string;
}

/**
 * A mail to intake's SMTP listener (start intake with `INTAKE_SMTP_PORT=0`) from an address no
 * contact has, so it waits unmatched in the service's region; a log uploaded to the request; and
 * the contract's maintenance timer made to fire at the clock's time: a remote check scheduled for
 * now (09:00 local on the clock's date) and the monthly record of the month before.
 *
 * A monthly record falls due only when its month ends, and a plan writes only occurrences not
 * already past when it is recorded, so at an unmoved clock no request makes one due: the plans are
 * recorded with the clock set back to the last hour of the previous month (`monthEnd`, UTC), and
 * the clock is set back to `now` before anything else runs. The maintenance tick then opens both.
 */
export async function seedChannelsAndTimers(
  stack: Stack,
  s: Seeded,
  clock: ManualClock,
  at: { monthEnd: string; today: string },
  region = 'north',
): Promise<ChannelAndTimerRecords> {
  const admin = await token('admin', { region });
  const call = caller(stack, admin);
  const intake = stack.get('intake');
  const smtp = intake.service.app.get(SmtpListener);
  const subject = `array offline at ${s.customerId}`;
  await createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true }).sendMail({
    from: `stranger-${s.customerId}@unknown.example`,
    to: smtp.supportAddress,
    subject,
    text: 'our array is offline since this morning',
  });
  const email = await waitFor(`the mail about ${s.customerId}`, async () => {
    const mails = (await call('intake', 'GET', '/emails?status=unmatched&limit=100')) as { items: Array<{ id: string; subject: string }> };
    return mails.items.find((m) => m.subject === subject);
  });

  const form = new FormData();
  form.append('file', new Blob(['2026-05-04 09:00 controller A offline\n'], { type: 'text/plain' }), 'array.log');
  const uploaded = await fetch(`${intake.service.url}/requests/${s.requestId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}` },
    body: form,
  });
  if (uploaded.status !== 201) throw new Error(`seed attachment: ${uploaded.status} ${await uploaded.text()}`);
  const { attachmentId } = (await uploaded.json()) as { attachmentId: string };

  const now = clock.now();
  clock.set(at.monthEnd);
  try {
    const plans = `/contracts/${s.contractId}/maintenance-plans`;
    await call('intake', 'POST', plans, { kind: 'maintenance-record', everyMonths: 1, startsOn: `${at.monthEnd.slice(0, 7)}-01` });
    await call('intake', 'POST', plans, { kind: 'remote-check', everyMonths: 3, startsOn: at.today });
  } finally {
    clock.set(now);
  }
  await intake.service.app.get(MaintenanceScheduler).sweep();
  const first = async (path: string) => {
    const page = (await call('case', 'GET', `${path}?contractId=${s.contractId}`)) as { items: Array<{ id: string }> };
    return page.items[0]?.id;
  };
  const inspectionId = await waitFor(`the remote check of contract ${s.contractId}`, () => first('/inspections'));
  const maintenanceRecordId = await waitFor(`the monthly record of contract ${s.contractId}`, () => first('/maintenance-records'));
  const inspection = (await call('case', 'GET', `/inspections/${inspectionId}`)) as { items: Array<{ itemId: string }> };
  const inspectionItemId = inspection.items[0]?.itemId;
  if (!inspectionItemId) throw new Error(`seed: remote check ${inspectionId} has no checklist`);
  return { emailId: email.id, attachmentId, inspectionId, inspectionItemId, maintenanceRecordId };
}

/** A 1×1 PNG: a signature image. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
