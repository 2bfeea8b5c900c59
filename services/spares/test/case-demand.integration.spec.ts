import { InProcessBus } from '@aftersales/messaging';
import { caseOpened, deliver, startTestService, TestService, upstreamEvent } from '@aftersales/testing';
import { sparesService } from '../src/spares.service-definition';

describe('spares service: remembers each case it may have to supply (real PostgreSQL)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService(sparesService, { bus: new InProcessBus() });
  });
  afterAll(() => t.stop());

  it('records region, severity and unit once per case', async () => {
    const opened = caseOpened({ severity: 'P1', serialNumber: 'SN-42' });
    expect((await t.http('GET', `/cases/${opened.caseId}`)).status).toBe(404);
    const event = upstreamEvent('case.opened.v1', opened.caseId, opened);
    await deliver(t.bus, event);
    await deliver(t.bus, event);
    const res = await t.http('GET', `/cases/${opened.caseId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ caseId: opened.caseId, region: 'north', severity: 'P1', serialNumber: 'SN-42' });
    const [{ n }] = await t.service.runtime.dataSource.query(`SELECT count(*)::int AS n FROM "${t.schema}".case_demands`);
    expect(n).toBe(1);
  });
});
