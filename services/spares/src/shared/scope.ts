import { ForbiddenException } from '@nestjs/common';
import { Principal, visibleTo } from '@aftersales/platform';

/** Who did it, as events and histories record it. */
export interface Actor {
  subject: string;
  role: string;
}

export function actorOf(p: Principal): Actor {
  const role = (['admin', 'manager', 'agent', 'engineer', 'customer'] as const).find((r) => p.roles.includes(r)) ?? p.roles[0];
  // the token verifier refuses a token without roles
  if (role === undefined) throw new Error(`principal ${p.subject} has no role`);
  return { subject: p.subject, role };
}

export const SYSTEM: Actor = { subject: 'system:spares', role: 'system' };

/**
 * Can the principal see this row? A customer its own customer's rows, staff their region's (a
 * cross-region request also the depot's region, whose manager approves it), an admin everything.
 */
export function canSee(p: Principal, row: { region: string; customerId?: string | null; depotRegion?: string }): boolean {
  const v = visibleTo(p);
  if (v.customerId !== undefined) return row.customerId === v.customerId;
  if (v.region === undefined) return true;
  return row.region === v.region || row.depotRegion === v.region;
}

/**
 * The same scope as a SQL condition with numbered parameters after `params`: `customerCol` for
 * customers, `regionCols` (any of them) for staff, nothing for an admin.
 */
export function scopeSql(p: Principal, params: unknown[], regionCols: string[], customerCol?: string): string {
  const v = visibleTo(p);
  if (v.customerId !== undefined) {
    if (!customerCol) return 'false';
    params.push(v.customerId);
    return `${customerCol} = $${params.length}`;
  }
  if (v.region === undefined) return 'true';
  params.push(v.region);
  return `(${regionCols.map((c) => `${c} = $${params.length}`).join(' OR ')})`;
}

export const isStaff = (p: Principal) => p.roles.some((r) => r !== 'customer');

/** A manager acts for their own region only; an admin for any. */
export function requireManagerOf(p: Principal, region: string, what: string): void {
  if (p.roles.includes('admin')) return;
  if (p.roles.includes('manager') && p.region === region) return;
  throw new ForbiddenException({
    statusCode: 403,
    message: `${what} needs the ${region} region's manager`,
    errors: [{ field: '(role)', reason: `only a manager of region ${region} (or an admin) may ${what}` }],
  });
}
