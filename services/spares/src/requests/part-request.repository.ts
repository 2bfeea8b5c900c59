import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { Principal, SERVICE_CONFIG } from '@aftersales/platform';
import { EntityManager } from 'typeorm';
import { OUTSTANDING } from '../domain';
import { scopeSql } from '../shared/scope';
import { countOf, MappedTable } from '../shared/sql';
import { PartRequest } from './part-request';

const FIELDS: Record<keyof PartRequest, string> = {
  id: 'id',
  caseId: 'case_id',
  region: 'region',
  customerId: 'customer_id',
  severity: 'severity',
  partNumber: 'part_number',
  quantity: 'quantity',
  siteId: 'site_id',
  neededBy: 'needed_by',
  state: 'state',
  depotId: 'depot_id',
  depotRegion: 'depot_region',
  crossRegion: 'cross_region',
  exchangeOf: 'exchange_of',
  requestedBy: 'requested_by',
  decidedBy: 'decided_by',
  decisionReason: 'decision_reason',
  carrier: 'carrier',
  trackingNumber: 'tracking_number',
  courier: 'courier',
  late: 'late',
  requestedAt: 'requested_at',
  reservedAt: 'reserved_at',
  pickedAt: 'picked_at',
  shippedAt: 'shipped_at',
  deliveredAt: 'delivered_at',
  installedAt: 'installed_at',
  closedAt: 'closed_at',
  updatedAt: 'updated_at',
};

export interface RequestFilter {
  caseId?: string;
  state?: string;
  depotId?: string;
}

/** Every SQL statement of part requests and their move history. */
@Injectable()
export class PartRequestRepository extends MappedTable<PartRequest> {
  private readonly s: string;
  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    super(config.database.schema, 'part_requests', FIELDS, { table: 'part_request_moves', owner: 'request_id' });
    this.s = config.database.schema;
  }

  /** Parts the case still waits for (held or on their way). */
  async outstandingForCase(m: EntityManager, caseId: string | null): Promise<number> {
    if (!caseId) return 0;
    return countOf(m, `SELECT count(*)::int AS n FROM "${this.s}".part_requests WHERE case_id = $1 AND state = ANY($2::text[])`, [
      caseId,
      OUTSTANDING,
    ]);
  }

  list(m: EntityManager, by: Principal, f: RequestFilter, limit: number, offset: number) {
    const params: unknown[] = [];
    const where = [scopeSql(by, params, ['region', 'depot_region'])];
    for (const [k, col] of [
      ['caseId', 'case_id'],
      ['state', 'state'],
      ['depotId', 'depot_id'],
    ] as const) {
      if (f[k] === undefined) continue;
      params.push(f[k]);
      where.push(`${col} = $${params.length}`);
    }
    return this.page(m, where.join(' AND '), params, 'requested_at DESC, id', limit, offset);
  }
}
