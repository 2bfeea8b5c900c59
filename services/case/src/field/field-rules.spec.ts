import { closeBlocker } from './close-guard';
import { escapeHtml, renderReportDocument, ReportDocument } from './report-document';
import { MAX_SIGNATURE_BYTES, signatureImageProblem, sniffSignatureImage } from './signature-image';
import { checkArrival, checkCompletion } from './visit-times';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const at = (iso: string) => new Date(iso);

describe('signature images', () => {
  it('recognises PNG and JPEG by their magic bytes only', () => {
    expect(sniffSignatureImage(PNG)).toBe('image/png');
    expect(sniffSignatureImage(JPEG)).toBe('image/jpeg');
    expect(sniffSignatureImage(Buffer.from('GIF89a....'))).toBeNull();
    expect(sniffSignatureImage(Buffer.from('<svg onload=alert(1)>'))).toBeNull();
    expect(sniffSignatureImage(PNG.subarray(0, 8))).toBeNull(); // the magic alone is no image
  });

  it('refuses empty, oversized and non-image uploads with a reason', () => {
    expect(signatureImageProblem(Buffer.alloc(0))).toMatch(/empty/);
    expect(signatureImageProblem(Buffer.concat([PNG, Buffer.alloc(MAX_SIGNATURE_BYTES)]))).toMatch(/larger/);
    expect(signatureImageProblem(Buffer.from('%PDF-1.7'))).toMatch(/PNG or JPEG/);
    expect(signatureImageProblem(PNG)).toBeNull();
  });
});

describe('visit times', () => {
  const now = at('2026-05-04T10:00:00Z');
  const dispatched = {
    plannedArrivalAt: at('2026-05-04T09:00:00Z'),
    arrivedAt: null,
    completedAt: null,
    dispatchedAt: at('2026-05-04T08:00:00Z'),
  };

  it('accepts an arrival between dispatch and now, once', () => {
    expect(checkArrival(dispatched, at('2026-05-04T09:10:00Z'), now)).toEqual({ ok: true });
    expect(checkArrival({ ...dispatched, arrivedAt: at('2026-05-04T09:10:00Z') }, now, now)).toMatchObject({ ok: false, kind: 'conflict' });
  });

  it('names arrivedAt when it is in the future or before the dispatch', () => {
    expect(checkArrival(dispatched, at('2026-05-04T12:00:00Z'), now)).toMatchObject({ kind: 'field', errors: [{ field: 'arrivedAt' }] });
    expect(checkArrival(dispatched, at('2026-05-04T07:00:00Z'), now)).toMatchObject({ kind: 'field', errors: [{ field: 'arrivedAt' }] });
  });

  it('completes only after an arrival, not before it and not in the future', () => {
    expect(checkCompletion(dispatched, now, now)).toMatchObject({ kind: 'conflict', message: expect.stringMatching(/not arrived/) });
    const arrived = { ...dispatched, arrivedAt: at('2026-05-04T09:10:00Z') };
    expect(checkCompletion(arrived, at('2026-05-04T09:00:00Z'), now)).toMatchObject({ kind: 'field', errors: [{ field: 'completedAt' }] });
    expect(checkCompletion(arrived, at('2026-05-05T09:00:00Z'), now)).toMatchObject({ kind: 'field', errors: [{ field: 'completedAt' }] });
    expect(checkCompletion(arrived, now, now)).toEqual({ ok: true });
    expect(checkCompletion({ ...arrived, completedAt: now }, now, now)).toMatchObject({ kind: 'conflict' });
  });
});

describe('close guard', () => {
  const done = {
    id: 'v1',
    plannedArrivalAt: at('2026-05-04T09:00:00Z'),
    arrivedAt: at('2026-05-04T09:00:00Z'),
    completedAt: at('2026-05-04T11:00:00Z'),
  };

  it('lets a case without visits close', () => expect(closeBlocker([], [])).toBeNull());

  it('names the visit without a report, the unsigned report, and the visit still under way', () => {
    expect(closeBlocker([done], [])).toMatch(/visit v1 has no customer service report/);
    expect(closeBlocker([done], [{ id: 'r1', visitId: 'v1', status: 'awaiting-signatures' }])).toMatch(/report r1 .* not signed/);
    expect(closeBlocker([{ ...done, id: 'v2', completedAt: null }], [])).toMatch(/visit v2 is not completed \(on-site\)/);
  });

  it('lets the case close once every visit has its signed report', () => {
    const second = { ...done, id: 'v2' };
    const reports = [
      { id: 'r1', visitId: 'v1', status: 'signed' as const },
      { id: 'r2', visitId: 'v2', status: 'signed' as const },
    ];
    expect(closeBlocker([done, second], reports)).toBeNull();
    expect(closeBlocker([done, second], reports.slice(0, 1))).toMatch(/v2/);
  });
});

describe('report document', () => {
  const doc: ReportDocument = {
    reportId: 'r1',
    status: 'signed',
    caseNumber: 'NORTH-2026-000001',
    customerId: 'C-1',
    contactName: 'Li Wei',
    serialNumber: 'SN-1',
    engineerId: 'E-7',
    plannedArrivalAt: at('2026-05-04T09:00:00Z'),
    arrivedAt: at('2026-05-04T09:05:00Z'),
    completedAt: at('2026-05-04T11:30:00Z'),
    symptom: 'array <b>offline</b>',
    diagnosis: 'controller "A" failed',
    workDone: 'replaced controller\nrebuilt RAID & verified',
    partsUsed: [{ partNumber: 'CTL-<9>', description: 'controller', quantity: 1 }],
    customerName: 'Wang <script>alert(1)</script>',
    engineerName: "Zhao O'Neil",
    createdAt: at('2026-05-04T11:40:00Z'),
    signedAt: at('2026-05-04T11:45:00Z'),
    signatures: [
      {
        party: 'customer',
        method: 'image',
        signerName: 'Wang <i>',
        signedAt: at('2026-05-04T11:42:00Z'),
        image: { type: 'image/png', bytes: PNG },
      },
      { party: 'engineer', method: 'typed', signerName: "Zhao O'Neil", signedAt: at('2026-05-04T11:45:00Z') },
    ],
  };

  it('escapes every piece of user text', () => {
    const html = renderReportDocument(doc);
    expect(html).not.toMatch(/<script>|<b>offline|<i>|CTL-<9>/);
    expect(html).toContain('Wang &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('array &lt;b&gt;offline&lt;/b&gt;');
    expect(html).toContain('controller &quot;A&quot; failed');
    expect(html).toContain('rebuilt RAID &amp; verified');
    expect(escapeHtml(`<a href="x" onclick='y'>&`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
  });

  it('shows both signatures: the image inline, the typed name with its time', () => {
    const html = renderReportDocument(doc);
    expect(html).toContain(`src="data:image/png;base64,${PNG.toString('base64')}"`);
    expect(html).toMatch(/Zhao O&#39;Neil, typed name, signed 2026-05-04 11:45 UTC/);
    expect(html).toContain('NORTH-2026-000001');
    expect(html).toContain('replaced controller<br>rebuilt RAID');
  });

  it('marks a missing signature as not signed yet', () => {
    const html = renderReportDocument({ ...doc, status: 'awaiting-signatures', signatures: doc.signatures.slice(0, 1) });
    expect(html).toMatch(/data-party="engineer"><h3>[^<]*<\/h3><div class="mark">not signed yet/);
    expect(html).toContain('awaiting signatures');
  });
});
