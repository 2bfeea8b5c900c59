import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Principal } from './auth';

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
 * Row visibility for a principal: a customer sees only its own customer's rows, staff their
 * region's, an admin everything. Returned as a TypeORM `where` fragment.
 */
export function visibleTo(p: Principal): { customerId?: string; region?: string } {
  if (p.roles.includes('customer') && !p.roles.some((r) => r !== 'customer')) return { customerId: p.customerId };
  if (p.roles.includes('admin')) return {};
  return { region: p.region };
}
