import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { SERVICE_CONFIG } from '@aftersales/platform';
import { selectOne, selectRows } from '@aftersales/persistence';
import { EntityManager } from 'typeorm';
import { countOf } from '../shared/sql';
import { Part } from './part';

interface PartRow {
  part_number: string;
  description: string;
  part_class: Part['partClass'];
  compatible_models: string[];
  unit_cost: string;
  contract_price: string;
  must_return: boolean;
  doa_days: number;
  lifetime_supply: boolean;
  created_at: Date;
  updated_at: Date;
}

const toPart = (r: PartRow): Part => ({
  partNumber: r.part_number,
  description: r.description,
  partClass: r.part_class,
  compatibleModels: r.compatible_models,
  unitCost: r.unit_cost,
  contractPrice: r.contract_price,
  mustReturn: r.must_return,
  doaDays: r.doa_days,
  lifetimeSupply: r.lifetime_supply,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type PartInput = Omit<Part, 'createdAt' | 'updatedAt'>;

const COLUMNS: Array<[keyof PartInput, string, string]> = [
  ['partNumber', 'part_number', 'text'],
  ['description', 'description', 'text'],
  ['partClass', 'part_class', 'text'],
  ['compatibleModels', 'compatible_models', 'text[]'],
  ['unitCost', 'unit_cost', 'numeric'],
  ['contractPrice', 'contract_price', 'numeric'],
  ['mustReturn', 'must_return', 'boolean'],
  ['doaDays', 'doa_days', 'integer'],
  ['lifetimeSupply', 'lifetime_supply', 'boolean'],
];

/** Every SQL statement of the parts catalog. */
@Injectable()
export class CatalogRepository {
  private readonly s: string;
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.s = config.database.schema;
  }

  async get(m: EntityManager, partNumber: string, lock = false): Promise<Part | null> {
    const r = await selectOne<PartRow>(m, `SELECT * FROM "${this.s}".parts WHERE part_number = $1${lock ? ' FOR SHARE' : ''}`, [
      partNumber,
    ]);
    return r ? toPart(r) : null;
  }

  async existing(m: EntityManager, partNumbers: string[]): Promise<Set<string>> {
    const rows = await selectRows<{ part_number: string }>(
      m,
      `SELECT part_number FROM "${this.s}".parts WHERE part_number = ANY($1::text[])`,
      [partNumbers],
    );
    return new Set(rows.map((r) => r.part_number));
  }

  async insert(m: EntityManager, p: PartInput, now: Date): Promise<Part | null> {
    const r = await selectOne<PartRow>(
      m,
      `INSERT INTO "${this.s}".parts (${COLUMNS.map((c) => c[1]).join(', ')}, created_at, updated_at)
       VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}, $${COLUMNS.length + 1}, $${COLUMNS.length + 1})
       ON CONFLICT (part_number) DO NOTHING RETURNING *`,
      [...COLUMNS.map(([k]) => p[k]), now],
    );
    return r ? toPart(r) : null;
  }

  /** An import also syncs: one INSERT … SELECT FROM unnest(arrays) … ON CONFLICT DO UPDATE per batch. */
  async upsert(m: EntityManager, parts: PartInput[], now: Date): Promise<void> {
    const scalar = COLUMNS.filter(([k]) => k !== 'compatibleModels');
    const params: unknown[] = scalar.map(([k]) => parts.map((p) => p[k]));
    // arrays of arrays do not unnest row-wise: each row's models travel as one text joined by U+0001
    params.push(parts.map((p) => p.compatibleModels.join('\u0001')));
    params.push(now);
    const cols = scalar.map(([, c]) => c);
    await m.query(
      `INSERT INTO "${this.s}".parts (${cols.join(', ')}, compatible_models, created_at, updated_at)
       SELECT ${cols.map((c) => `u.${c}`).join(', ')},
              CASE WHEN u.models = '' THEN '{}'::text[] ELSE string_to_array(u.models, E'\\u0001') END, $${params.length}, $${params.length}
         FROM unnest(${scalar.map(([, , t], i) => `$${i + 1}::${t}[]`).join(', ')}, $${scalar.length + 1}::text[])
              AS u(${cols.join(', ')}, models)
       ON CONFLICT (part_number) DO UPDATE SET
         ${[...cols.filter((c) => c !== 'part_number'), 'compatible_models'].map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
         updated_at = EXCLUDED.updated_at`,
      params,
    );
  }

  async list(
    m: EntityManager,
    f: { model?: string; partClass?: string },
    limit: number,
    offset: number,
  ): Promise<{ items: Part[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.model) {
      params.push(f.model.trim().toLowerCase());
      where.push(`EXISTS (SELECT 1 FROM unnest(compatible_models) cm WHERE lower(cm) = $${params.length})`);
    }
    if (f.partClass) {
      params.push(f.partClass);
      where.push(`part_class = $${params.length}`);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = await countOf(m, `SELECT count(*)::int AS n FROM "${this.s}".parts ${w}`, params);
    const rows = await selectRows<PartRow>(
      m,
      `SELECT * FROM "${this.s}".parts ${w} ORDER BY part_number LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items: rows.map(toPart), total };
  }

  /** Parts that fit any of these product models (case-insensitive). */
  async compatibleWith(m: EntityManager, models: string[]): Promise<Part[]> {
    const rows = await selectRows<PartRow>(
      m,
      `SELECT * FROM "${this.s}".parts
        WHERE EXISTS (SELECT 1 FROM unnest(compatible_models) cm WHERE lower(cm) = ANY($1::text[]))
        ORDER BY part_number`,
      [models.map((x) => x.trim().toLowerCase())],
    );
    return rows.map(toPart);
  }
}
