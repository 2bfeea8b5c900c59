import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { PageQuery } from '@aftersales/platform';
import { parseLocalDate } from '@aftersales/calendar';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';

/** Registry ids are chosen by the customer's ERP/CRM (e.g. `C-100`, `SN-0001`): keep them URL- and CSV-safe. */
const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const idMessage = (field: string) => ({ message: `${field} must be 1-64 letters, digits or _.:-` });
const PHONE_RE = /^\+?[0-9 ()./-]{3,32}$/;

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is refused). */
export function IsLocalDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isLocalDate',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a date YYYY-MM-DD`, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && parseLocalDate(v) !== undefined },
    });
}

export const COVERAGES = ['business-hours', '7x24'] as const;

/** An optional field a PATCH may clear with `null` (every other field refuses null: 400). */
const CLEARABLE = { nullable: true } as const;

export class CreateCustomerDto {
  @ApiProperty({ example: 'C-100' }) @IsString() @Matches(ID_RE, idMessage('id')) id: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional({ description: "default: the caller's region" })
  @IsOptional()
  @IsString()
  @Matches(ID_RE, idMessage('region'))
  region?: string;
}

export class CreateSiteDto {
  @ApiProperty() @IsString() @Matches(ID_RE, idMessage('id')) id: string;
  @ApiProperty() @IsString() @Matches(ID_RE, idMessage('customerId')) customerId: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsString() @MaxLength(500) address?: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional({ description: "default: the customer's region" })
  @IsOptional()
  @IsString()
  @Matches(ID_RE, idMessage('region'))
  region?: string;
}

export class CreateContactDto {
  @ApiProperty() @IsString() @Matches(ID_RE, idMessage('id')) id: string;
  @ApiProperty() @IsString() @Matches(ID_RE, idMessage('customerId')) customerId: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsString() @Matches(ID_RE, idMessage('siteId')) siteId?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: '+86 10 5555 0100', ...CLEARABLE })
  @IsOptional()
  @IsString()
  @Matches(PHONE_RE, { message: 'phone must be 3-32 digits, spaces, ()+-./' })
  phone?: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional({ default: true, description: 'a designated reporter (客户指定联系人)' })
  @IsOptional()
  @IsBoolean()
  designated?: boolean;
}

export class CreateContractDto {
  @ApiProperty() @IsString() @Matches(ID_RE, idMessage('id')) id: string;
  @ApiProperty() @IsString() @Matches(ID_RE, idMessage('customerId')) customerId: string;
  @ApiProperty({ enum: COVERAGES }) @IsIn(COVERAGES) coverage: (typeof COVERAGES)[number];
  @ApiPropertyOptional({ description: "default: the customer's region" })
  @IsOptional()
  @IsString()
  @Matches(ID_RE, idMessage('region'))
  region?: string;
  @ApiPropertyOptional({ description: 'required for business-hours coverage', ...CLEARABLE })
  @IsOptional()
  @IsString()
  @Matches(ID_RE, idMessage('calendarId'))
  calendarId?: string;
  @ApiPropertyOptional({ description: 'escalation ladder policy', ...CLEARABLE })
  @IsOptional()
  @IsString()
  @Matches(ID_RE, idMessage('policyId'))
  policyId?: string;
  @ApiProperty({ example: '2026-01-01' }) @IsLocalDate() startsOn: string;
  @ApiProperty({ example: '2028-12-31' }) @IsLocalDate() endsOn: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsLocalDate() warrantyEndsOn?: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsString() @MaxLength(100) homeCity?: string;
}

export class CreateAssetDto {
  @ApiProperty() @IsString() @Matches(ID_RE, idMessage('id')) id: string;
  @ApiProperty() @IsString() @Matches(ID_RE, idMessage('customerId')) customerId: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsString() @Matches(ID_RE, idMessage('siteId')) siteId?: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsString() @Matches(ID_RE, idMessage('contractId')) contractId?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(128) model: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsString() @MaxLength(128) productLine?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(128) serialNumber: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsLocalDate() installedOn?: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsLocalDate() warrantyEndsOn?: string;
}

// PATCH bodies: the id is the path's; a record stays with its customer (an asset may change hands)
export class UpdateCustomerDto extends PartialType(OmitType(CreateCustomerDto, ['id'] as const)) {}
export class UpdateSiteDto extends PartialType(OmitType(CreateSiteDto, ['id', 'customerId'] as const)) {}
export class UpdateContactDto extends PartialType(OmitType(CreateContactDto, ['id', 'customerId'] as const)) {}
export class UpdateContractDto extends PartialType(OmitType(CreateContractDto, ['id', 'customerId'] as const)) {
  @ApiPropertyOptional({ description: 'why warrantyEndsOn changes (goes into intake.warranty.changed.v1)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
export class UpdateAssetDto extends PartialType(OmitType(CreateAssetDto, ['id'] as const)) {
  @ApiPropertyOptional({ description: 'why warrantyEndsOn changes (goes into intake.warranty.changed.v1)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

// List filters (all optional, combined with AND)

export class CustomerQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) region?: string;
  @ApiPropertyOptional({ description: 'part of the name, case-insensitive' }) @IsOptional() @IsString() @MaxLength(200) name?: string;
}

export class SiteQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) customerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) region?: string;
  @ApiPropertyOptional(CLEARABLE) @IsOptional() @IsString() @MaxLength(100) city?: string;
}

export class ContactQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) customerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) siteId?: string;
  @ApiPropertyOptional({ description: 'any format: matched on its digits' }) @IsOptional() @IsString() @MaxLength(40) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(254) email?: string;
}

export class ContractQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) customerId?: string;
  @ApiPropertyOptional({ enum: COVERAGES }) @IsOptional() @IsIn(COVERAGES) coverage?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) calendarId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) region?: string;
}

export class AssetQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) customerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) siteId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) contractId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) serialNumber?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) model?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) productLine?: string;
}

export class DeskLookupQuery {
  @ApiPropertyOptional({ description: 'caller number in any format' }) @IsOptional() @IsString() @MaxLength(40) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(254) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) serial?: string;
}
