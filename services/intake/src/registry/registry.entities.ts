import { Column, Entity, PrimaryColumn, ObjectLiteral } from 'typeorm';
import type { BusinessCalendarDefinition } from '@aftersales/calendar';

/** Dates are `YYYY-MM-DD` strings (PostgreSQL `date`): no time zone games with warranty ends. */

@Entity({ name: 'calendars' })
export class CalendarRecord {
  @PrimaryColumn('text') id: string;
  @Column('jsonb') definition: BusinessCalendarDefinition;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

@Entity({ name: 'customers' })
export class Customer {
  @PrimaryColumn('text') id: string;
  @Column('text') name: string;
  @Column('text') region: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

@Entity({ name: 'sites' })
export class Site {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) address: string | null;
  @Column('text', { nullable: true }) city: string | null;
  @Column('text') region: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

@Entity({ name: 'contacts' })
export class ContactRecord {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('text', { name: 'site_id', nullable: true }) siteId: string | null;
  @Column('text') name: string;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { name: 'phone_digits', nullable: true }) phoneDigits: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('boolean', { default: true }) designated: boolean;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

@Entity({ name: 'contracts' })
export class Contract {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('text') coverage: 'business-hours' | '7x24';
  @Column('text') region: string;
  @Column('text', { name: 'calendar_id', nullable: true }) calendarId: string | null;
  @Column('text', { name: 'policy_id', nullable: true }) policyId: string | null;
  @Column('date', { name: 'starts_on' }) startsOn: string;
  @Column('date', { name: 'ends_on' }) endsOn: string;
  @Column('date', { name: 'warranty_ends_on', nullable: true }) warrantyEndsOn: string | null;
  @Column('text', { name: 'home_city', nullable: true }) homeCity: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

@Entity({ name: 'assets' })
export class Asset {
  @PrimaryColumn('text') id: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('text', { name: 'site_id', nullable: true }) siteId: string | null;
  @Column('text', { name: 'contract_id', nullable: true }) contractId: string | null;
  @Column('text') model: string;
  @Column('text', { name: 'product_line', nullable: true }) productLine: string | null;
  @Column('text', { name: 'serial_number' }) serialNumber: string;
  @Column('date', { name: 'installed_on', nullable: true }) installedOn: string | null;
  @Column('date', { name: 'warranty_ends_on', nullable: true }) warrantyEndsOn: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

export const registryEntities = [CalendarRecord, Customer, Site, ContactRecord, Contract, Asset];

/** "+86 10 5555-0100" → "861055550100": how callers are matched to contacts. */
export function phoneDigits(phone: string | null | undefined): string | null {
  const d = (phone ?? '').replace(/\D/g, '');
  return d.length ? d : null;
}

/** A text column of a record handled by its kind (an `ObjectLiteral`): undefined when absent, null or not text. */
export function textOf(row: ObjectLiteral, column: string): string | undefined {
  const v: unknown = row[column];
  return typeof v === 'string' ? v : undefined;
}

/** A record's id: every registry record has a text id (each create DTO requires one). */
export function idOf(row: ObjectLiteral): string {
  const id = textOf(row, 'id');
  if (id === undefined) throw new Error('a registry record without a text id');
  return id;
}
