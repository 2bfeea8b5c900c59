import { startTestService, TestService, tokenFor } from '@aftersales/testing';
import { intakeService } from '../src/intake.service-definition';

const ASSET_HEADER = 'id,customerId,siteId,contractId,model,productLine,serialNumber,installedOn,warrantyEndsOn';

/**
 * 10 000 asset rows; every 100th row (data row 37, 137, …) is bad, cycling through four reasons.
 * Returns the file and the rejections the import must report, by line (header = line 1).
 */
function assetFile(): { csv: string; expected: Array<{ line: number; field: string; reason: RegExp }> } {
  const lines = [ASSET_HEADER];
  const expected: Array<{ line: number; field: string; reason: RegExp }> = [];
  for (let i = 0; i < 10_000; i++) {
    const line = i + 2;
    const customer = `C-${(i % 10) + 1}`;
    const site = i % 10 === 0 ? 'S-1' : '';
    const contract = i % 10 === 0 ? 'K-1' : '';
    let cells = [`A-${i}`, customer, site, contract, 'OceanStor 5500', 'storage', `SN-${i}`, '2026-01-15', '2029-01-14'];
    if (i % 100 === 37) {
      switch (Math.floor(i / 100) % 4) {
        case 0:
          cells = [`A-${i}`, 'C-404', '', '', 'OceanStor 5500', 'storage', `SN-${i}`, '2026-01-15', '2029-01-14'];
          expected.push({ line, field: 'customerId', reason: /C-404: no such customer/ });
          break;
        case 1:
          // half repeat the serial of the row above, half the serial of an asset already registered
          if (i % 800 === 137) {
            cells[6] = `SN-${i - 1}`;
            expected.push({ line, field: 'serialNumber', reason: new RegExp(`repeats line ${line - 1}`) });
          } else {
            cells[6] = 'SN-EXISTING';
            expected.push({ line, field: 'serialNumber', reason: /already asset A-OLD/ });
          }
          break;
        case 2:
          cells[8] = i % 800 === 237 ? '2029-02-30' : '14/01/2029';
          expected.push({ line, field: 'warrantyEndsOn', reason: /YYYY-MM-DD/ });
          break;
        default:
          cells[4] = '';
          expected.push({ line, field: 'model', reason: /model/ });
      }
    }
    lines.push(cells.join(','));
  }
  return { csv: lines.join('\n') + '\n', expected };
}

describe('intake registry: CSV import (real PostgreSQL)', () => {
  let t: TestService;
  const count = async (table: string): Promise<number> => {
    const [{ n }] = await t.service.runtime.dataSource.query(`SELECT count(*)::int AS n FROM "${t.schema}".${table}`);
    return n;
  };
  const upload = (kind: string, csv: string, role: 'admin' | 'agent' = 'agent', token?: string) =>
    t.http('POST', `/imports/${kind}`, { role, token, body: csv, headers: { 'content-type': 'text/csv' } });

  /** A file of these lines, imported with a global agent token: what the import answered. */
  const importGlobally = async (kind: string, lines: string[], global: string) =>
    (await upload(kind, lines.join('\n'), 'agent', global)).body as unknown;

  beforeAll(async () => {
    t = await startTestService(intakeService, { region: 'north' });
  });
  afterAll(() => t.stop());

  it('imports customers, sites and contacts, filling regions and phone digits, and reports bad rows by line', async () => {
    // two regions' rows: a global token writes both (a regional one only its own, below)
    const global = await tokenFor('agent', { global: true });
    const customers = [
      'id,name,region',
      ...Array.from({ length: 10 }, (_, i) => `C-${i + 1},"Customer ${i + 1}, Ltd",${i < 5 ? 'north' : 'east'}`),
    ];
    expect((await upload('customers', customers.join('\r\n'), 'agent', global)).body).toEqual({ imported: 10, rejected: [] });

    const sites = ['id,customerId,name,city', 'S-1,C-1,Depot Xizhimen,Beijing', 'S-2,C-6,"Pudong', 'data centre",Shanghai'];
    expect(await importGlobally('sites', [...sites, 'S-3,C-404,Nowhere,', ',C-1,No id,'], global)).toEqual({
      imported: 2,
      rejected: [
        { line: 5, field: 'customerId', reason: expect.stringContaining('C-404') },
        { line: 6, field: 'id', reason: expect.stringContaining('id must be') },
      ],
    });
    expect((await t.http('GET', '/sites/S-2', { token: global })).body).toMatchObject({ name: 'Pudong\ndata centre', region: 'east' });
    // a north token writes north only: another region's row, customer or record is refused by line
    const north = await upload(
      'sites',
      ['id,customerId,name,region', 'S-7,C-1,x,east', 'S-8,C-6,y,', 'S-2,C-1,z,north', 'S-9,C-1,ok,'].join('\n'),
    );
    expect(north.body).toEqual({
      imported: 1,
      rejected: [
        { line: 2, field: 'region', reason: expect.any(String) },
        { line: 3, field: 'customerId', reason: expect.any(String) },
        { line: 4, field: 'id', reason: expect.any(String) },
      ],
    });

    const contacts = [
      'id,customerId,siteId,name,phone,email,designated',
      'P-1,C-1,S-1,Li Wei,+86 10 5555 0100,li.wei@example.com,yes',
      'P-2,C-6,S-1,Zhang Min,,,',
      'P-3,C-6,,Wang Fang,021 6666 0300,not-an-email,',
      'P-4,C-6,,Zhao Lei,,,maybe',
    ];
    expect(await importGlobally('contacts', contacts, global)).toEqual({
      imported: 1,
      rejected: [
        { line: 3, field: 'siteId', reason: expect.stringContaining('another customer') },
        { line: 4, field: 'email', reason: expect.any(String) },
        { line: 5, field: 'designated', reason: expect.any(String) },
      ],
    });
    expect((await t.http('GET', '/contacts/P-1')).body).toMatchObject({ phoneDigits: '861055550100', designated: true });
  });

  it('answers a wrong or missing header with 400 naming the column, importing nothing', async () => {
    const before = await count('assets');
    const unknown = await upload('assets', 'id,customerId,model,serial\nA-X,C-1,m,SN-X\n');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'serial', reason: expect.stringContaining('unknown column') },
        { field: 'serialNumber', reason: expect.stringContaining('no column') },
      ]),
    );
    const missing = await upload('assets', 'id,customerId,serialNumber\nA-X,C-1,SN-X\n');
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ field: 'model', reason: expect.any(String) }]);
    expect((await upload('assets', '')).status).toBe(400);
    expect((await upload('assets', 'id,customerId,model,serialNumber\n"A-X,C-1,m,SN-X\n')).status).toBe(400);
    expect((await t.http('POST', '/imports/assets', { role: 'agent', body: { id: 'A-X' } })).status).toBe(415);
    expect((await upload('contracts', 'id\n')).status).toBe(403);
    expect((await upload('widgets', 'id\n')).status).toBe(404);
    expect(await count('assets')).toBe(before);
  });

  it('imports 10 000 assets in seconds: 9 900 kept, the 100 bad rows reported with line and reason', async () => {
    const admin = { role: 'admin' as const };
    const k1 = { id: 'K-1', customerId: 'C-1', coverage: '7x24', startsOn: '2026-01-01', endsOn: '2028-12-31' };
    expect((await t.http('POST', '/contracts', { ...admin, body: k1 })).status).toBe(201);
    const old = { id: 'A-OLD', customerId: 'C-2', model: 'FusionServer', serialNumber: 'SN-EXISTING' };
    expect((await t.http('POST', '/assets', { body: old })).status).toBe(201);

    const { csv, expected } = assetFile();
    expect(expected).toHaveLength(100);
    // assets of north and east customers
    const res = await upload('assets', csv, 'agent', await tokenFor('agent', { global: true }));
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(9_900);
    expect(res.body.rejected.map((r: any) => [r.line, r.field])).toEqual(expected.map((e) => [e.line, e.field]));
    res.body.rejected.forEach((r: any, i: number) => expect(r.reason).toMatch(expected[i]?.reason ?? /an expected rejection/));

    expect(await count('assets')).toBe(9_901);
    const kept = await t.http('GET', '/assets/A-10');
    expect(kept.body).toMatchObject({ customerId: 'C-1', siteId: 'S-1', contractId: 'K-1', warrantyEndsOn: '2029-01-14' });
    for (const { line } of expected) expect((await t.http('GET', `/assets/A-${line - 2}`)).status).toBe(404);
  });

  it('re-importing syncs by id: changed rows are updated, a serial taken by another asset is refused', async () => {
    const res = await upload(
      'assets',
      [
        'id,customerId,model,serialNumber,warrantyEndsOn',
        'A-10,C-1,OceanStor 6800,SN-10,2030-01-14',
        'A-2,C-3,OceanStor 5500,SN-3,',
        'A-NEW,C-4,FusionServer,SN-NEW,',
      ].join('\n'),
    );
    expect(res.body).toEqual({ imported: 2, rejected: [{ line: 3, field: 'serialNumber', reason: expect.stringContaining('A-3') }] });
    // columns the file does not have (siteId, contractId) stay as they were
    expect((await t.http('GET', '/assets/A-10')).body).toMatchObject({
      customerId: 'C-1',
      model: 'OceanStor 6800',
      siteId: 'S-1',
      contractId: 'K-1',
      warrantyEndsOn: '2030-01-14',
    });
    expect((await t.http('GET', '/assets/A-2')).body).toMatchObject({ serialNumber: 'SN-2', customerId: 'C-3' });
    // the moved warranty end of A-10 (under K-1) is announced; the new asset and the first import announced nothing
    const events = await t.service.runtime.dataSource.query(
      `SELECT aggregate_id, payload FROM "${t.schema}".outbox WHERE event_type = 'intake.warranty.changed.v1'`,
    );
    expect(events).toHaveLength(1);
    expect(events[0].aggregate_id).toBe('A-10');
    expect(JSON.stringify(events[0].payload)).toContain('2030-01-14');
    expect(await count('assets')).toBe(9_902);
    // a customer sees the imported assets that are its own only
    const token = await tokenFor('customer', { customerId: 'C-4' });
    expect((await t.http('GET', '/assets/A-NEW', { token })).status).toBe(200);
    expect((await t.http('GET', '/assets/A-1', { token })).status).toBe(404);
  });
});
