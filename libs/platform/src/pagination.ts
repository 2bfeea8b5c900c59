import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { isCustomerOnly, Principal } from './auth';

export class PageQuery {
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit = 50;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * Row visibility for a principal: a customer sees only its own customer's rows; staff, admins
 * included, their token's region's; only a token with the explicit `global` claim sees every
 * region. Returned as a TypeORM `where` fragment.
 */
export function visibleTo(p: Principal): { customerId?: string; region?: string } {
  if (isCustomerOnly(p)) return { customerId: p.customerId };
  if (p.global) return {};
  return { region: p.region };
}

/** The region a principal's reads are limited to (undefined: a global token, or a customer, who is limited by customer instead). */
export function regionScope(p: Principal): string | undefined {
  return visibleTo(p).region;
}

/**
 * Whether a record with these owners is visible to the principal, by the same rule as `visibleTo`
 * (for rows read before the check, e.g. by id). A field the record lacks is not checked.
 */
export function canSee(p: Principal, row: { customerId?: string | null; region?: string | null }): boolean {
  const scope = visibleTo(p);
  if (scope.customerId !== undefined && 'customerId' in row && row.customerId !== scope.customerId) return false;
  if (scope.region !== undefined && 'region' in row && row.region !== scope.region) return false;
  return true;
}

/**
 * A list filter on region narrowed to what the principal may see: a filter on another region
 * finds nothing (`false`) rather than widening the scope or being silently replaced.
 */
export function regionFilter(p: Principal, requested: string | undefined): string | undefined | false {
  const own = visibleTo(p).region;
  if (own === undefined) return requested;
  if (requested !== undefined && requested !== own) return false;
  return own;
}
