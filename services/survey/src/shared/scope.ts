import { NotFoundException } from '@nestjs/common';
import { Principal, visibleTo } from '@aftersales/platform';

/**
 * A principal's visibility as a SQL condition (`visibleTo`: staff their region, customers their
 * customer, admins everything), appended to `params`. Starts with ` AND ` unless empty.
 */
export function scopeSql(p: Principal, params: unknown[], alias = ''): string {
  const v = visibleTo(p);
  const a = alias ? `${alias}.` : '';
  const parts: string[] = [];
  if (v.customerId !== undefined) {
    params.push(v.customerId);
    parts.push(`${a}customer_id = $${params.length}`);
  }
  if (v.region !== undefined) {
    params.push(v.region);
    parts.push(`${a}region = $${params.length}`);
  }
  return parts.map((x) => ` AND ${x}`).join('');
}

/**
 * The region a staff request is about: their own, or for an admin the one asked for (their own
 * when none). Asking for another region than one's own is answered as if it did not exist.
 */
export function regionOf(p: Principal, asked?: string): string {
  const v = visibleTo(p);
  if (v.region === undefined) return asked ?? p.region;
  if (asked !== undefined && asked !== v.region) throw new NotFoundException(`region ${asked} not found`);
  return v.region;
}

export const isCustomer = (p: Principal) => p.roles.includes('customer') && !p.roles.some((r) => r !== 'customer');
