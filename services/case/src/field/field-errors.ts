import { BadRequestException, ConflictException, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FieldError, Principal, visibleTo } from '@aftersales/platform';
import { Case } from '../cases/case.entity';
import { actingRole } from './case-core';

export const invalid = (errors: FieldError[]) => new BadRequestException({ statusCode: 400, message: 'validation failed', errors });
export const invalidField = (field: string, reason: string) => invalid([{ field, reason }]);
export const unprocessable = (field: string, reason: string) =>
  new UnprocessableEntityException({ statusCode: 422, message: 'validation failed', errors: [{ field, reason }] });
export const conflict = (message: string, field?: string) =>
  new ConflictException({ statusCode: 409, message, ...(field ? { errors: [{ field, reason: message }] } : {}) });
export const notFound = (field: string, reason: string) =>
  new NotFoundException({ statusCode: 404, message: reason, errors: [{ field, reason }] });

/** The case as the principal may see it; a customer gets 404 for another customer's case, never 403. */
export async function visibleCase(m: EntityManager, id: string, by: Principal, lock = false): Promise<Case> {
  const found = await m.getRepository(Case).findOne({
    where: { id, ...visibleTo(by) },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!found) throw notFound('id', `case ${id} not found`);
  return found;
}

/** The case fields every case event carries. */
export const caseRef = (c: Case) => ({ caseId: c.id, caseNumber: c.caseNumber, region: c.region, customerId: c.customerId });

/** Staff act for the customer (an engineer captures the customer's signature on site); a customer token acts only as itself. */
export function isCustomerOnly(by: Principal): boolean {
  return by.roles.includes('customer') && by.roles.every((r) => r === 'customer');
}

/** As the lifecycle records it: the broadest of the principal's roles. */
export const actorOf = (by: Principal) => ({ subject: by.subject, role: actingRole(by.roles) });
