import { startTestService, TestService, tokenFor } from '@aftersales/testing';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_REQUEST } from '../src/domain/attachment-policy';
import { intakeService } from '../src/intake.service-definition';
import { seedRegistry } from './requests.seed';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('intake service: files uploaded to a request (real PostgreSQL)', () => {
  let t: TestService;
  let own: string; // C-100's request
  let customer: string;
  let otherCustomer: string;

  beforeAll(async () => {
    t = await startTestService(intakeService, { env: { INTAKE_HANDOFF_SWEEP_MS: '0' } });
    await seedRegistry(t.service.runtime.dataSource, { customers: [{ id: 'C-100' }, { id: 'C-200' }] });
    customer = await tokenFor('customer', { customerId: 'C-100' });
    otherCustomer = await tokenFor('customer', { customerId: 'C-200' });
    const filed = await t.http('POST', '/requests', {
      token: customer,
      body: { contact: { name: 'Li Wei' }, channel: 'portal', symptom: 'fan noise, photo attached' },
    });
    expect(filed.status).toBe(201);
    own = filed.body.id;
  });
  afterAll(() => t.stop());

  async function upload(requestId: string, token: string, file?: { bytes: Buffer; type: string; name: string }) {
    const form = new FormData();
    form.append('note', 'x');
    if (file) form.append('file', new Blob([file.bytes], { type: file.type }), file.name);
    const res = await fetch(`${t.service.url}/requests/${requestId}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  const stored = async () =>
    (await t.service.runtime.dataSource.query(`SELECT count(*)::int AS n FROM "${t.schema}".attachments WHERE owner_kind = 'request'`))[0]
      .n as number;

  it('stores the customer’s file, lists it on the request and serves the bytes back', async () => {
    const res = await upload(own, customer, { bytes: PNG, type: 'image/png', name: 'C:\\photos\\fan.png' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ attachmentId: expect.any(String), filename: 'fan.png', contentType: 'image/png', size: PNG.length });
    expect((await t.http('GET', `/requests/${own}/attachments`, { token: customer })).body).toEqual([res.body]);
    // staff see it on the request itself
    expect((await t.http('GET', `/requests/${own}`, { role: 'engineer' })).body.attachments).toEqual([res.body]);
    const download = await fetch(`${t.service.url}/attachments/${res.body.attachmentId}`, {
      headers: { authorization: `Bearer ${await tokenFor('engineer')}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''fan.png");
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
  });

  it('answers another customer 404 on the request, its list and the file, and stores nothing', async () => {
    const before = await stored();
    expect((await upload(own, otherCustomer, { bytes: PNG, type: 'image/png', name: 'x.png' })).status).toBe(404);
    expect((await t.http('GET', `/requests/${own}/attachments`, { token: otherCustomer })).status).toBe(404);
    const [ref] = (await t.http('GET', `/requests/${own}/attachments`, { token: customer })).body;
    expect((await t.http('GET', `/attachments/${ref.attachmentId}`, { token: otherCustomer })).status).toBe(404);
    expect((await t.http('GET', `/requests/${own}/attachments`, { token: await tokenFor('admin', { region: 'south' }) })).status).toBe(404);
    expect(await stored()).toBe(before);
  });

  it('refuses files it does not take with a 4xx naming the reason, storing nothing', async () => {
    const before = await stored();
    const exe = await upload(own, customer, { bytes: Buffer.from('MZ\x90\x00'), type: 'application/x-msdownload', name: 'fix.exe' });
    expect(exe.status).toBe(415);
    expect(exe.body.errors[0]).toEqual({ field: 'file', reason: expect.stringContaining('application/x-msdownload is not accepted') });
    const fake = await upload(own, customer, { bytes: Buffer.from('<svg/>'), type: 'image/jpeg', name: 'fake.jpg' });
    expect(fake.status).toBe(422);
    expect(fake.body).toMatchObject({ message: 'the file is not what its type says' });
    expect(fake.body.errors[0].reason).toContain('not image/jpeg');
    const big = await upload(own, customer, { bytes: Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 0x61), type: 'text/plain', name: 'huge.log' });
    expect(big.status).toBe(413);
    expect(big.body.errors[0]).toEqual({ field: 'file', reason: `larger than ${MAX_ATTACHMENT_BYTES} bytes` });
    const none = await upload(own, customer);
    expect(none.status).toBe(422);
    expect(none.body.errors[0].field).toBe('file');
    const json = await t.http('POST', `/requests/${own}/attachments`, { token: customer, body: { file: 'aGVsbG8=' } });
    expect(json.status).toBe(415);
    expect(await stored()).toBe(before);
  });

  it(`keeps at most ${MAX_ATTACHMENTS_PER_REQUEST} files on a request (409 after)`, async () => {
    const filed = await t.http('POST', '/requests', {
      token: customer,
      body: { contact: { name: 'Li Wei' }, channel: 'portal', symptom: 'logs' },
    });
    for (let i = 0; i < MAX_ATTACHMENTS_PER_REQUEST; i++) {
      expect(
        (await upload(filed.body.id, customer, { bytes: Buffer.from(`line ${i}\n`), type: 'text/plain', name: `${i}.log` })).status,
      ).toBe(201);
    }
    const over = await upload(filed.body.id, customer, { bytes: Buffer.from('one more\n'), type: 'text/plain', name: 'more.log' });
    expect(over.status).toBe(409);
    expect((await t.http('GET', `/requests/${filed.body.id}/attachments`, { token: customer })).body).toHaveLength(
      MAX_ATTACHMENTS_PER_REQUEST,
    );
  });
});
