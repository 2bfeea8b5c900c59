import { PartUsed, SignatureParty } from './field.entities';

/** Everything the printable report shows; built from the case, the visit, the report and its signatures. */
export interface ReportDocument {
  reportId: string;
  status: 'awaiting-signatures' | 'signed';
  caseNumber: string;
  customerId: string;
  contactName: string;
  serialNumber: string | null;
  engineerId: string;
  plannedArrivalAt: Date;
  arrivedAt: Date | null;
  completedAt: Date | null;
  symptom: string;
  diagnosis: string;
  workDone: string;
  partsUsed: PartUsed[];
  customerName: string;
  engineerName: string;
  createdAt: Date;
  signedAt: Date | null;
  signatures: Array<{
    party: SignatureParty;
    method: 'image' | 'typed';
    signerName: string;
    signedAt: Date;
    image?: { type: 'image/png' | 'image/jpeg'; bytes: Buffer } | null;
  }>;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every piece of user text goes through this: the document is opened in staff and customer browsers. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Multi-line text keeps its line breaks on paper. */
const paragraph = (text: string) => escapeHtml(text).replace(/\r?\n/g, '<br>');

export function formatTime(t: Date | null): string {
  return t ? `${t.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—';
}

const LABEL: Record<SignatureParty, string> = { customer: '客户签字 / Customer', engineer: '工程师签字 / Engineer' };

function signatureBlock(d: ReportDocument, party: SignatureParty): string {
  const s = d.signatures.find((x) => x.party === party);
  const name = party === 'customer' ? d.customerName : d.engineerName;
  if (!s) {
    return `<div class="sig pending" data-party="${party}"><h3>${LABEL[party]}</h3><div class="mark">not signed yet</div><p>${escapeHtml(name)}</p></div>`;
  }
  // the image type comes from our own magic-byte check, never from the client
  const mark =
    s.method === 'image' && s.image
      ? `<img alt="signature of ${escapeHtml(s.signerName)}" src="data:${s.image.type};base64,${s.image.bytes.toString('base64')}">`
      : `<span class="typed">${escapeHtml(s.signerName)}</span>`;
  return `<div class="sig" data-party="${party}"><h3>${LABEL[party]}</h3><div class="mark">${mark}</div><p>${escapeHtml(s.signerName)}, ${
    s.method === 'typed' ? 'typed name, ' : ''
  }signed ${formatTime(s.signedAt)}</p></div>`;
}

function partsTable(parts: PartUsed[]): string {
  if (parts.length === 0) return '<p>No parts used.</p>';
  const rows = parts
    .map((p) => `<tr><td>${escapeHtml(p.partNumber ?? '')}</td><td>${escapeHtml(p.description)}</td><td class="n">${p.quantity}</td></tr>`)
    .join('');
  return `<table class="parts"><thead><tr><th>Part number</th><th>Description</th><th class="n">Qty</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A self-contained, printable HTML page (no scripts, no external resources). */
export function renderReportDocument(d: ReportDocument): string {
  const title = `客户服务报告 / Customer Service Report ${escapeHtml(d.caseNumber)}`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${title}</title>
<style>
body { font-family: "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.4em; border-bottom: 2px solid #111; padding-bottom: .3em; }
h2 { font-size: 1.1em; margin-top: 1.5em; }
dl { display: grid; grid-template-columns: 12em 1fr; gap: .3em 1em; }
dt { font-weight: bold; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .3em .5em; text-align: left; }
.n { text-align: right; }
.sigs { display: flex; gap: 2em; margin-top: 2em; }
.sig { flex: 1; border-top: 1px solid #111; padding-top: .5em; }
.sig .mark { min-height: 4em; display: flex; align-items: center; }
.sig img { max-height: 6em; max-width: 100%; }
.typed { font-family: "Brush Script MT", cursive; font-size: 1.6em; }
.pending .mark { color: #a00; }
@media print { body { margin: 1cm; } }
</style>
</head>
<body>
<h1>${title}</h1>
<dl>
<dt>Case number</dt><dd>${escapeHtml(d.caseNumber)}</dd>
<dt>Report</dt><dd>${escapeHtml(d.reportId)} (${d.status === 'signed' ? `signed ${formatTime(d.signedAt)}` : 'awaiting signatures'})</dd>
<dt>Customer</dt><dd>${escapeHtml(d.customerName)} (${escapeHtml(d.customerId)})</dd>
<dt>Contact</dt><dd>${escapeHtml(d.contactName)}</dd>
<dt>Serial number</dt><dd>${escapeHtml(d.serialNumber ?? '—')}</dd>
<dt>Engineer</dt><dd>${escapeHtml(d.engineerName)} (${escapeHtml(d.engineerId)})</dd>
<dt>Planned arrival</dt><dd>${formatTime(d.plannedArrivalAt)}</dd>
<dt>Arrived</dt><dd>${formatTime(d.arrivedAt)}</dd>
<dt>Completed</dt><dd>${formatTime(d.completedAt)}</dd>
</dl>
<h2>故障现象 / Symptom</h2>
<p>${paragraph(d.symptom)}</p>
<h2>诊断 / Diagnosis</h2>
<p>${paragraph(d.diagnosis)}</p>
<h2>处理过程 / Work done</h2>
<p>${paragraph(d.workDone)}</p>
<h2>使用备件 / Parts used</h2>
${partsTable(d.partsUsed)}
<div class="sigs">
${signatureBlock(d, 'customer')}
${signatureBlock(d, 'engineer')}
</div>
</body>
</html>
`;
}
