import { Body, Controller, Headers, HttpCode, Injectable, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  checkCsvHeader,
  Clock,
  CurrentPrincipal,
  ImportRejection,
  ImportResult,
  ImportResultView,
  Principal,
  readCsv,
  regionScope,
  Roles,
  validateCsvRows,
} from '@aftersales/platform';
import type { OutboxEvent } from '@aftersales/messaging';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { CreateAssetDto, CreateContactDto, CreateContractDto, CreateCustomerDto, CreateSiteDto } from './registry.dtos';
import { Asset, Customer, idOf, textOf } from './registry.entities';
import { assetRow, contactRow, contractRow, customerRow, loadBy, siteRow } from './registry-rules';
import { problemException, RecordProblem } from './registry-problems';
import { assetRegisteredEvents } from './asset-events';
import { KINDS, RegistryKind } from './registry.service';
import { Outbox } from '@aftersales/messaging';

export type { ImportRejection, ImportResult };

type Column = [prop: string, column: string, sqlType: 'text' | 'date' | 'boolean'];

interface ImportSpec {
  dto: new () => object;
  table: string;
  /** the columns a file must have */
  required: string[];
  /** every column a file may have, in table order (the upsert writes all of them) */
  columns: Column[];
  toRow(dto: never, by: Principal): ObjectLiteral;
  /** also unique within the file, besides the id */
  unique?: string;
  roles: string[];
}

const DATES = new Set(['startsOn', 'endsOn', 'warrantyEndsOn', 'installedOn']);
const BOOLEANS = new Set(['designated']);
const AGENTS = ['admin', 'agent'];

/**
 * The import of one kind into its table: `columns` names every column a file may have, in table
 * order (the upsert writes all of them), `*` marking those a file must have; a column's table
 * name is its property in snake case.
 */
function importSpec<D extends object>(
  table: RegistryKind,
  dto: new () => D,
  toRow: (d: D) => ObjectLiteral,
  roles: string[],
  columns: string,
  unique?: string,
): ImportSpec {
  const props = columns.split(' ');
  return {
    dto,
    table,
    required: props.filter((c) => c.startsWith('*')).map((c) => c.slice(1)),
    columns: props.map((c) => c.replace('*', '')).map((c): Column => [c, snakeCase(c), sqlTypeOf(c)]),
    toRow: (d: never) => toRow(d),
    roles,
    ...(unique ? { unique } : {}),
  };
}

const snakeCase = (prop: string) => prop.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const sqlTypeOf = (prop: string): Column[2] => (DATES.has(prop) ? 'date' : BOOLEANS.has(prop) ? 'boolean' : 'text');

const CONTACTS = '*id *customerId siteId *name phone phoneDigits email designated';
const CONTRACTS = '*id *customerId *coverage region calendarId policyId *startsOn *endsOn warrantyEndsOn homeCity';
const ASSETS = '*id *customerId siteId contractId *model productLine *serialNumber installedOn warrantyEndsOn';

const SPECS: Record<RegistryKind, ImportSpec> = {
  customers: importSpec('customers', CreateCustomerDto, (d) => customerRow(d, ''), AGENTS, '*id *name region'),
  sites: importSpec('sites', CreateSiteDto, siteRow, AGENTS, '*id *customerId *name address city region'),
  contacts: importSpec('contacts', CreateContactDto, contactRow, AGENTS, CONTACTS),
  contracts: importSpec('contracts', CreateContractDto, contractRow, ['admin'], CONTRACTS),
  assets: importSpec('assets', CreateAssetDto, assetRow, AGENTS, ASSETS, 'serialNumber'),
};

/** Columns a file may name: the DTO's fields (phoneDigits is derived, never imported). */
const fileColumns = (spec: ImportSpec) => spec.columns.map((c) => c[0]).filter((c) => c !== 'phoneDigits');

const BATCH = 1000;

interface Candidate {
  line: number;
  row: ObjectLiteral;
}

/**
 * CSV import of registry records: each row passes the create DTO and the reference rules or is
 * reported with its line; valid rows are upserted by id (an import also syncs), in one transaction.
 */
@Injectable()
export class RegistryImportService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  async import(kind: RegistryKind, csv: string, by: Principal): Promise<ImportResult> {
    const spec = SPECS[kind];
    const records = readCsv(csv);
    const header = checkHeader(spec, records[0]?.cells);
    // 1. each row on its own: the create DTO's rules
    const rows = await validateCsvRows(records.slice(1), header, spec.dto, { booleans: ['designated'] });
    const rejected: ImportRejection[] = rows.rejected;
    const candidates: Candidate[] = rows.valid.map(({ line, dto }) => ({ line, row: spec.toRow(dto as never, by) }));

    const result = await this.dataSource.transaction(async (m) => {
      const tracksWarranty = kind === 'assets' || kind === 'contracts';
      const before = await keepUnlisted(m, spec, KINDS[kind].entity, header, candidates, tracksWarranty);
      if (kind === 'customers') await keepRegions(m, candidates, by.region);
      // 2. references, batched: one query per 1000 rows and kind of reference
      const checked = await KINDS[kind].check(
        m,
        candidates.map((c) => c.row),
      );
      const outside = await outsideRegion(m, kind, candidates, regionScope(by));
      const problems = checked.map((p, i) => p ?? outside[i]);
      const kept: Candidate[] = [];
      const seen = new Map<string, number>();
      const seenUnique = new Map<string, number>();
      candidates.forEach((c, i) => {
        const p = problems[i];
        if (p) return void rejected.push({ line: c.line, field: p.field, reason: p.reason });
        // 3. the file against itself: the first occurrence wins
        const id = idOf(c.row);
        const first = seen.get(id);
        if (first !== undefined) return void rejected.push({ line: c.line, field: 'id', reason: `id ${id} repeats line ${first}` });
        if (spec.unique) {
          const value = textOf(c.row, spec.unique) ?? '';
          const earlier = seenUnique.get(value);
          if (earlier !== undefined) {
            return void rejected.push({ line: c.line, field: spec.unique, reason: `${spec.unique} ${value} repeats line ${earlier}` });
          }
          seenUnique.set(value, c.line);
        }
        seen.set(id, c.line);
        kept.push(c);
      });
      for (let i = 0; i < kept.length; i += BATCH) {
        await this.upsert(
          m,
          spec,
          kept.slice(i, i + BATCH).map((c) => c.row),
        );
      }
      if (tracksWarranty) await this.warrantyChanges(m, kind, kept, before, by);
      if (kind === 'assets') {
        const rows = kept.map((c) => c.row as Asset); // the assets spec's toRow makes asset rows
        await this.outbox.append(m, await assetRegisteredEvents(m, rows, before as Map<string, Asset>, this.clock.now()));
      }
      return { imported: kept.length, rejected };
    });
    result.rejected.sort((a, b) => a.line - b.line);
    return result;
  }

  /** A sync that moves a warranty end is announced as a PATCH would be (`intake.warranty.changed.v1`). */
  private async warrantyChanges(
    m: EntityManager,
    kind: RegistryKind,
    kept: Candidate[],
    before: Map<string, ObjectLiteral>,
    by: Principal,
  ): Promise<void> {
    const events: OutboxEvent<'intake.warranty.changed.v1'>[] = [];
    for (const { row } of kept) {
      const id = idOf(row);
      const old = before.get(id);
      const contractId = kind === 'contracts' ? id : textOf(row, 'contractId');
      const warrantyEndsOn = textOf(row, 'warrantyEndsOn');
      if (!old || !warrantyEndsOn || warrantyEndsOn === textOf(old, 'warrantyEndsOn') || !contractId) continue;
      events.push({
        type: 'intake.warranty.changed.v1',
        aggregateType: kind === 'contracts' ? 'contract' : 'asset',
        aggregateId: id,
        data: {
          contractId,
          ...(kind === 'assets' ? { assetId: id } : {}),
          warrantyEndsOn,
          reason: `CSV import by ${by.subject}`,
        },
      });
    }
    if (events.length) await this.outbox.append(m, events);
  }

  /** One INSERT … SELECT FROM unnest(arrays) … ON CONFLICT (id) DO UPDATE per batch. */
  private async upsert(m: EntityManager, spec: ImportSpec, rows: ObjectLiteral[]): Promise<void> {
    const cols = spec.columns;
    const names = cols.map(([, c]) => c).join(', ');
    const arrays = cols.map(([, , t], i) => `$${i + 1}::${t}[]`).join(', ');
    const updates = cols
      .filter(([p]) => p !== 'id')
      .map(([, c]) => `${c} = EXCLUDED.${c}`)
      .join(', ');
    const at = `$${cols.length + 1}::timestamptz`;
    await m.query(
      `INSERT INTO "${this.outbox.schema}".${spec.table} (${names}, created_at, updated_at)
       SELECT *, ${at}, ${at} FROM unnest(${arrays})
       ON CONFLICT (id) DO UPDATE SET ${updates}, updated_at = EXCLUDED.updated_at`,
      [...cols.map(([p]) => rows.map((r): unknown => r[p] ?? null)), this.clock.now()],
    );
  }
}

/**
 * An existing record keeps the values of the columns the file does not have (a file without
 * `siteId` leaves sites alone), so it is checked and written as a PATCH of those columns would be.
 */
async function keepUnlisted(
  m: EntityManager,
  spec: ImportSpec,
  entity: EntityTarget<ObjectLiteral>,
  header: string[],
  candidates: Candidate[],
  always: boolean,
): Promise<Map<string, ObjectLiteral>> {
  const absent = fileColumns(spec).filter((c) => !header.includes(c));
  if (!absent.length && !always) return new Map();
  const existing = await loadBy(
    m,
    entity,
    'id',
    candidates.map((c) => idOf(c.row)),
  );
  for (const c of candidates) {
    const before = existing.get(idOf(c.row));
    if (before) for (const col of absent) c.row[col] = before[col] as unknown;
  }
  return existing;
}

/**
 * Rows a staff token of one region may not write (as in `RegistryService`): a record outside its
 * region, under another region's customer, or replacing another region's record by id. A global
 * token (`region` undefined) writes every region.
 */
async function outsideRegion(
  m: EntityManager,
  kind: RegistryKind,
  candidates: Candidate[],
  region: string | undefined,
): Promise<Array<RecordProblem | null>> {
  if (region === undefined) return candidates.map(() => null);
  const ownRegion = kind === 'customers' || kind === 'sites' || kind === 'contracts';
  const existing = await loadBy<ObjectLiteral>(
    m,
    KINDS[kind].entity,
    'id',
    candidates.map((c) => idOf(c.row)),
  );
  const customerOf = (r: ObjectLiteral) => textOf(r, kind === 'customers' ? 'id' : 'customerId') ?? '';
  const customers = await loadBy(
    m,
    Customer,
    'id',
    [...candidates.map((c) => customerOf(c.row)), ...[...existing.values()].map(customerOf)],
    { id: true, region: true },
  );
  const regionOf = (r: ObjectLiteral) => (ownRegion ? textOf(r, 'region') : customers.get(customerOf(r))?.region);
  return candidates.map(({ row }): RecordProblem | null => {
    const id = idOf(row);
    const before = existing.get(id);
    if (before && regionOf(before) !== region) return { status: 422, field: 'id', reason: `id ${id}: a record of another region` };
    const customerId = customerOf(row);
    if (kind !== 'customers' && customers.get(customerId)?.region !== region)
      return { status: 422, field: 'customerId', reason: `customerId ${customerId}: no such customer` };
    const own = textOf(row, 'region');
    if (ownRegion && own !== region) return { status: 422, field: 'region', reason: `region ${own ?? ''} is not the token's region` };
    return null;
  });
}

/** A customer row without a region keeps the region it has, else gets the importer's. */
async function keepRegions(m: EntityManager, candidates: Candidate[], fallback: string): Promise<void> {
  const open = candidates.filter((c) => !c.row.region);
  const existing = await loadBy(
    m,
    Customer,
    'id',
    open.map((c) => idOf(c.row)),
    { id: true, region: true },
  );
  for (const c of open) c.row.region = existing.get(idOf(c.row))?.region ?? fallback;
}

function checkHeader(spec: ImportSpec, header: string[] | undefined): string[] {
  return checkCsvHeader(header, fileColumns(spec), spec.required);
}

@ApiTags('registry')
@ApiBearerAuth()
@Controller('imports')
export class RegistryImportController {
  constructor(private readonly imports: RegistryImportService) {}

  @Post(':kind')
  @HttpCode(200)
  @Roles('admin', 'agent')
  @ApiOkResponse({ type: ImportResultView, description: 'rows upserted, and each refused row with its line' })
  @ApiConsumes('text/csv')
  @ApiBody({
    description: 'header row of camelCase field names (as in the create DTO), then one record per line',
    schema: { type: 'string' },
  })
  async import(
    @Param('kind') kind: string,
    @Body() body: unknown,
    @Headers('content-type') type: string | undefined,
    @CurrentPrincipal() by: Principal,
  ): Promise<ImportResult> {
    if (!Object.hasOwn(SPECS, kind)) throw new NotFoundException({ statusCode: 404, message: `nothing to import as ${kind}` });
    const spec = SPECS[kind as RegistryKind];
    // contracts are the admin's alone
    if (!by.roles.some((r) => spec.roles.includes(r))) {
      throw problemException(
        403,
        [{ field: '(role)', reason: `importing ${kind} needs one of the roles: ${spec.roles.join(', ')}` }],
        'forbidden',
      );
    }
    if (!/^text\/csv\b/i.test(type ?? '') || typeof body !== 'string') {
      throw problemException(415, [{ field: '(body)', reason: 'send the file with Content-Type: text/csv' }], 'unsupported media type');
    }
    return this.imports.import(kind as RegistryKind, body, by);
  }
}
