import { InProcessBus } from '@aftersales/messaging';
import { caseOpened, deliver, startTestService, TestService, tokenFor, upstreamEvent } from '@aftersales/testing';
import { surveyService } from '../src/survey.service-definition';

describe('survey service: keeps the contact of each case for the weekly survey (real PostgreSQL)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService(surveyService, { bus: new InProcessBus() });
  });
  afterAll(() => t.stop());

  it('records the case and its contact once, not yet closed', async () => {
    const opened = caseOpened({ caseNumber: 'NORTH-2026-000042' });
    const event = upstreamEvent('case.opened.v1', opened.caseId, opened);
    await deliver(t.bus, event);
    await deliver(t.bus, event);
    const res = await t.http('GET', `/cases/${opened.caseId}`, { role: 'manager' });
    expect(res.body).toMatchObject({ caseNumber: 'NORTH-2026-000042', contact: opened.contact, closedAt: null });
    expect((await t.http('GET', `/cases/${opened.caseId}`, { token: await tokenFor('engineer') })).status).toBe(403);
  });
});
