import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WarrantyLedgerView } from '@aftersales/contracts';
import { LedgerLine, Subject, WarrantyLedgerRepository } from './warranty-ledger.repository';

/** Reads the ledger for the desk: one view per warranty, in one query for a whole caller. */
@Injectable()
export class WarrantyView {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: WarrantyLedgerRepository,
  ) {}

  async of(subjects: ReadonlyArray<Subject & { endsOn: string | null }>): Promise<Map<string, WarrantyLedgerView>> {
    const m = this.ds.manager;
    const [lines, bases] = await Promise.all([this.repo.linesOf(m, subjects), this.repo.bases(m, subjects)]);
    const out = new Map<string, WarrantyLedgerView>();
    for (const x of subjects) {
      const k = `${x.type}:${x.id}`;
      const own = lines.filter((l) => l.subjectType === x.type && l.subjectId === x.id);
      const base = bases.find((b) => b.type === x.type && b.id === x.id);
      out.set(k, {
        subject: { type: x.type, id: x.id },
        endsOn: x.endsOn,
        baseEndsOn: base?.baseEndsOn ?? x.endsOn,
        extendedDays: own.reduce((a, l) => a + l.days, 0),
        extensions: own.map(line),
      });
    }
    return out;
  }
}

const line = (l: LedgerLine) => ({
  caseId: l.caseId,
  caseNumber: l.caseNumber,
  cause: l.cause,
  hours: Math.round((l.minutes / 60) * 100) / 100,
  days: l.days,
  counted: l.counted,
  source: l.source,
  note: l.note,
  by: l.classifiedBy,
  at: new Date(l.updatedAt).toISOString(),
});
