import { ForbiddenException, Injectable } from '@nestjs/common';
import { Clock, Principal } from '@aftersales/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Engineer } from '../engineers/engineer.entity';
import { WorkLog } from './case-core';
import { CreateReportDto, SignatureDto } from './field.dto';
import { FieldVisit, ReportSignature, ServiceReport, SIGNATURE_PARTIES, SignatureParty } from './field.entities';
import { actorOf, caseRef, conflict, invalidField, isCustomerOnly, notFound, visibleCase } from './field-errors';
import { renderReportDocument } from './report-document';
import { signatureImageProblem, sniffSignatureImage } from './signature-image';
import { Outbox } from '@aftersales/messaging';

/** An uploaded file as multer's memory storage hands it over. */
export interface UploadedSignature {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

const PARTY_NAME: Record<SignatureParty, string> = { customer: 'Customer', engineer: 'Engineer' };

/** Customer service reports (客户服务报告) of completed visits, and their two signatures. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly workLog: WorkLog,
  ) {}

  async create(caseId: string, visitId: string, dto: CreateReportDto, by: Principal) {
    return this.dataSource.transaction(async (m) => {
      const c = await visibleCase(m, caseId, by, true);
      const visit = await m.findOne(FieldVisit, { where: { id: visitId, caseId: c.id }, lock: { mode: 'pessimistic_write' } });
      if (!visit) throw notFound('visitId', `visit ${visitId} not found on case ${c.id}`);
      if (!visit.completedAt) throw conflict(`visit ${visit.id} is not completed: record the completion before the report`, 'visitId');
      const existing = await m.findOneBy(ServiceReport, { visitId: visit.id });
      if (existing) throw conflict(`visit ${visit.id} already has service report ${existing.id}`, 'visitId');
      const report = m.create(ServiceReport, {
        id: randomUUID(),
        caseId: c.id,
        visitId: visit.id,
        symptom: dto.symptom ?? c.symptom,
        diagnosis: dto.diagnosis,
        workDone: dto.workDone ?? visit.workDone!,
        partsUsed: (dto.partsUsed ?? []).map((p) => ({ description: p.description, partNumber: p.partNumber, quantity: p.quantity })),
        customerName: dto.customerName ?? c.contact.name,
        engineerName: dto.engineerName ?? (await m.findOneBy(Engineer, { id: visit.engineerId }))?.name ?? visit.engineerId,
        status: 'awaiting-signatures',
        createdBy: by.subject,
        createdAt: this.clock.now(),
        signedAt: null,
      });
      await m.insert(ServiceReport, report);
      await this.workLog.append(m, {
        caseId: c.id,
        kind: 'report',
        public: true,
        actor: actorOf(by),
        text: `Customer service report written for the visit of ${visit.engineerId}; awaiting signatures of customer and engineer`,
        data: { reportId: report.id, visitId: visit.id },
      });
      return this.view(report, []);
    });
  }

  /** One signature per party; when the second lands, the report is signed and `case.service-report.signed.v1` goes out. */
  async sign(caseId: string, reportId: string, party: string, dto: SignatureDto, file: UploadedSignature | undefined, by: Principal) {
    if (!SIGNATURE_PARTIES.includes(party as SignatureParty)) throw invalidField('party', 'party must be customer or engineer');
    const who = party as SignatureParty;
    const signature = this.readSignature(dto, file);
    return this.dataSource.transaction(async (m) => {
      const c = await visibleCase(m, caseId, by, true);
      if (isCustomerOnly(by) && who !== 'customer') throw new ForbiddenException('a customer signs as the customer only');
      const report = await this.lockedReport(m, c.id, reportId);
      if (who === 'engineer') await this.mayRecordEngineerSignature(m, report, by);
      const signed = await m.find(ReportSignature, { where: { reportId: report.id } });
      const already = signed.find((s) => s.party === who);
      if (already) throw conflict(`the ${who} already signed report ${report.id} at ${already.signedAt.toISOString()}`, 'party');
      const now = this.clock.now();
      const row = m.create(ReportSignature, {
        reportId: report.id,
        party: who,
        method: signature.image ? 'image' : 'typed',
        signerName: signature.signerName ?? (who === 'customer' ? report.customerName : report.engineerName),
        image: signature.image?.bytes ?? null,
        imageType: signature.image?.type ?? null,
        signedBy: by.subject,
        signedAt: now,
      });
      await m.insert(ReportSignature, row);
      await this.workLog.append(m, {
        caseId: c.id,
        kind: 'report',
        public: true,
        actor: actorOf(by),
        text: `${PARTY_NAME[who]} ${row.signerName} signed service report ${report.id} (${row.method === 'image' ? 'signature image' : 'typed name'})`,
        data: { reportId: report.id, party: who, method: row.method },
      });
      const all = [...signed, row];
      if (SIGNATURE_PARTIES.every((p) => all.some((s) => s.party === p))) {
        report.status = 'signed';
        report.signedAt = now;
        await m.update(ServiceReport, { id: report.id }, { status: 'signed', signedAt: now });
        await this.outbox.append(m, [
          {
            type: 'case.service-report.signed.v1',
            aggregateType: 'case',
            aggregateId: c.id,
            data: { ...caseRef(c), reportId: report.id, visitId: report.visitId, signedAt: now.toISOString() },
          },
        ]);
        await this.workLog.append(m, {
          caseId: c.id,
          kind: 'report',
          public: true,
          actor: actorOf(by),
          text: `Service report ${report.id} signed by customer and engineer`,
          data: { reportId: report.id },
        });
      }
      return this.view(report, all);
    });
  }

  async get(caseId: string, reportId: string, by: Principal) {
    const m = this.dataSource.manager;
    const c = await visibleCase(m, caseId, by);
    const report = await this.report(m, c.id, reportId);
    return this.view(report, await m.find(ReportSignature, { where: { reportId: report.id } }));
  }

  async listForCase(caseId: string, by: Principal) {
    const m = this.dataSource.manager;
    const c = await visibleCase(m, caseId, by);
    const reports = await m.find(ServiceReport, { where: { caseId: c.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    const signatures = reports.length ? await m.find(ReportSignature, { where: reports.map((r) => ({ reportId: r.id })) }) : [];
    return {
      items: reports.map((r) =>
        this.view(
          r,
          signatures.filter((s) => s.reportId === r.id),
        ),
      ),
    };
  }

  async document(caseId: string, reportId: string, by: Principal): Promise<string> {
    const m = this.dataSource.manager;
    const c = await visibleCase(m, caseId, by);
    const report = await this.report(m, c.id, reportId);
    const visit = await m.findOneByOrFail(FieldVisit, { id: report.visitId });
    const signatures = await this.signaturesWithImages(m, report.id);
    return renderReportDocument({
      reportId: report.id,
      status: report.status,
      caseNumber: c.caseNumber,
      customerId: c.customerId,
      contactName: c.contact.name,
      serialNumber: c.serialNumber,
      engineerId: visit.engineerId,
      plannedArrivalAt: visit.plannedArrivalAt,
      arrivedAt: visit.arrivedAt,
      completedAt: visit.completedAt,
      symptom: report.symptom,
      diagnosis: report.diagnosis,
      workDone: report.workDone,
      partsUsed: report.partsUsed,
      customerName: report.customerName,
      engineerName: report.engineerName,
      createdAt: report.createdAt,
      signedAt: report.signedAt,
      signatures: signatures.map((s) => ({
        party: s.party,
        method: s.method,
        signerName: s.signerName,
        signedAt: s.signedAt,
        image: s.image && s.imageType ? { type: s.imageType, bytes: s.image } : null,
      })),
    });
  }

  async signatureImage(caseId: string, reportId: string, party: string, by: Principal) {
    const m = this.dataSource.manager;
    const c = await visibleCase(m, caseId, by);
    const report = await this.report(m, c.id, reportId);
    const s = (await this.signaturesWithImages(m, report.id)).find((x) => x.party === party);
    if (!s?.image || !s.imageType) throw notFound('party', `report ${report.id} has no signature image of the ${party}`);
    return { type: s.imageType, bytes: s.image };
  }

  /** Exactly one of an image upload or a typed name; the image is checked by its bytes. */
  private readSignature(dto: SignatureDto, file: UploadedSignature | undefined) {
    if (file) {
      if (dto.typedName !== undefined) throw invalidField('typedName', 'send either a signature image or typedName, not both');
      const problem = signatureImageProblem(file.buffer);
      if (problem) throw invalidField('signature', problem);
      return { signerName: dto.signerName?.trim(), image: { bytes: file.buffer, type: sniffSignatureImage(file.buffer)! } };
    }
    if (dto.typedName === undefined) {
      throw invalidField('signature', 'send a PNG or JPEG image in the multipart field `signature`, or JSON { typedName }');
    }
    if (dto.signerName !== undefined && dto.signerName.trim() !== dto.typedName.trim()) {
      throw invalidField('signerName', 'a typed signature is the signer name: leave signerName out');
    }
    return { signerName: dto.typedName.trim(), image: null };
  }

  /**
   * The engineer's signature attests the engineer's own work: the visiting engineer gives it (engineer tokens carry
   * the directory id as subject); a manager or admin may record one from a signed paper report.
   */
  private async mayRecordEngineerSignature(m: EntityManager, report: ServiceReport, by: Principal): Promise<void> {
    if (by.roles.includes('manager') || by.roles.includes('admin')) return;
    const visit = await m.findOneByOrFail(FieldVisit, { id: report.visitId });
    if (by.roles.includes('engineer') && by.subject === visit.engineerId) return;
    throw new ForbiddenException(`only the visiting engineer ${visit.engineerId} (or a manager) signs report ${report.id} as engineer`);
  }

  private async report(m: EntityManager, caseId: string, reportId: string): Promise<ServiceReport> {
    const report = await m.findOneBy(ServiceReport, { id: reportId, caseId });
    if (!report) throw notFound('reportId', `service report ${reportId} not found on case ${caseId}`);
    return report;
  }

  private async lockedReport(m: EntityManager, caseId: string, reportId: string): Promise<ServiceReport> {
    const report = await m.findOne(ServiceReport, { where: { id: reportId, caseId }, lock: { mode: 'pessimistic_write' } });
    if (!report) throw notFound('reportId', `service report ${reportId} not found on case ${caseId}`);
    return report;
  }

  private signaturesWithImages(m: EntityManager, reportId: string): Promise<ReportSignature[]> {
    return m
      .getRepository(ReportSignature)
      .createQueryBuilder('s')
      .addSelect('s.image')
      .where('s.report_id = :reportId', { reportId })
      .getMany();
  }

  view(r: ServiceReport, signatures: ReportSignature[]) {
    const base = `/cases/${r.caseId}/reports/${r.id}`;
    return {
      id: r.id,
      caseId: r.caseId,
      visitId: r.visitId,
      status: r.status,
      symptom: r.symptom,
      diagnosis: r.diagnosis,
      workDone: r.workDone,
      partsUsed: r.partsUsed,
      customerName: r.customerName,
      engineerName: r.engineerName,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      signedAt: r.signedAt?.toISOString() ?? null,
      signatures: SIGNATURE_PARTIES.map((party) => {
        const s = signatures.find((x) => x.party === party);
        return s
          ? {
              party,
              method: s.method,
              signerName: s.signerName,
              signedAt: s.signedAt.toISOString(),
              signedBy: s.signedBy,
              ...(s.method === 'image' ? { imageType: s.imageType, imageUrl: `${base}/signatures/${party}/image` } : {}),
            }
          : { party, signedAt: null };
      }),
      documentUrl: `${base}/document`,
    };
  }
}
