import { Injectable } from '@nestjs/common';
import { checkCsvHeader, Clock, ImportRejection, ImportResult, readCsv, validateCsvRows } from '@aftersales/platform';
import { conflictOn, notFound } from '../shared/problems';
import { CatalogRepository, PartInput } from './catalog.repository';
import { CreatePartDto } from './catalog.dto';
import { Part } from './part';
import { Transactions } from '../shared/tx';

const CSV_COLUMNS = [
  'partNumber',
  'description',
  'partClass',
  'compatibleModels',
  'unitCost',
  'contractPrice',
  'mustReturn',
  'doaDays',
  'lifetimeSupply',
];
const CSV_REQUIRED = ['partNumber', 'description', 'partClass', 'unitCost', 'contractPrice'];
const BATCH = 1000;

export function partInput(d: CreatePartDto): PartInput {
  return {
    partNumber: d.partNumber,
    description: d.description.trim(),
    partClass: d.partClass,
    compatibleModels: [...new Set((d.compatibleModels ?? []).map((m) => m.trim()))],
    unitCost: d.unitCost,
    contractPrice: d.contractPrice,
    mustReturn: d.mustReturn ?? true,
    doaDays: d.doaDays ?? 7,
    lifetimeSupply: d.lifetimeSupply ?? false,
  };
}

/** The parts catalog: one by one or by CSV (rows checked by the create DTO, rejected ones reported by line). */
@Injectable()
export class CatalogService {
  constructor(
    private readonly tx: Transactions,
    private readonly parts: CatalogRepository,
    private readonly clock: Clock,
  ) {}

  create(d: CreatePartDto, subject: string, key?: string) {
    return this.tx.once(`parts:${subject}`, key, d, async (m) => {
      const created = await this.parts.insert(m, partInput(d), this.clock.now());
      if (!created) throw conflictOn('partNumber', `part ${d.partNumber} already exists`);
      return { status: 201, body: created };
    });
  }

  async get(partNumber: string): Promise<Part> {
    const p = await this.parts.get(this.tx.reads, partNumber);
    if (!p) throw notFound('part', partNumber);
    return p;
  }

  async list(f: { model?: string; partClass?: string }, limit: number, offset: number) {
    return { ...(await this.parts.list(this.tx.reads, f, limit, offset)), limit, offset };
  }

  async import(csv: string): Promise<ImportResult> {
    const records = readCsv(csv);
    const header = checkCsvHeader(records[0]?.cells, CSV_COLUMNS, CSV_REQUIRED);
    const rows = await validateCsvRows(records.slice(1), header, CreatePartDto, {
      booleans: ['mustReturn', 'lifetimeSupply'],
      lists: ['compatibleModels'],
      numbers: ['doaDays'],
    });
    const rejected: ImportRejection[] = rows.rejected;
    const kept: PartInput[] = [];
    const seen = new Map<string, number>();
    for (const { line, dto } of rows.valid) {
      const first = seen.get(dto.partNumber);
      if (first !== undefined) {
        rejected.push({ line, field: 'partNumber', reason: `part ${dto.partNumber} repeats line ${first}` });
        continue;
      }
      seen.set(dto.partNumber, line);
      kept.push(partInput(dto));
    }
    await this.tx.run(async (m) => {
      for (let i = 0; i < kept.length; i += BATCH) await this.parts.upsert(m, kept.slice(i, i + BATCH), this.clock.now());
    });
    rejected.sort((a, b) => a.line - b.line);
    return { imported: kept.length, rejected };
  }
}
