import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import type { ServiceMode, Severity } from '@aftersales/contracts';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsUUID,
  Min,
  ValidateIf,
  IsEmail,
  IsObject,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { FAULT_KINDS, FaultKind, IMPACTS, Impact, UNIT_DELIVERIES, UnitDelivery } from './triage';

const SERVICE_MODES = ['remote', 'on-site', 'carry-in', 'mail-in', 'paid', 'return-exchange', 'complaint'] as const;

export class ContactDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 ()-]{3,32}$/, { message: 'phone must be digits, spaces, ()+-' })
  phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string;
}

export class AttachmentDto {
  @ApiProperty() @IsUUID() attachmentId: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(255) filename: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(255) contentType: string;
  @ApiProperty() @IsInt() @Min(0) size: number;
}

/** The case a complaint is about (seed 000 §4.5): by id or by the number the customer quotes. */
export class ComplaintAboutDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() caseId?: string;
  @ApiPropertyOptional()
  @ValidateIf((o: ComplaintAboutDto) => !o.caseId || o.caseNumber !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'caseNumber or caseId is required' })
  @MaxLength(64)
  caseNumber?: string;
}

export class CreateRequestDto {
  @ApiPropertyOptional({ description: 'required for staff; a customer token files for its own customer' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'customerId must be 1-64 letters, digits or _.:-' })
  customerId?: string;

  @ApiPropertyOptional({ description: 'a registered contact (designated reporter); its customer is the caller' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'contactId must be 1-64 letters, digits or _.:-' })
  contactId?: string;

  @ApiProperty({ type: ContactDto, description: 'who called; optional when contactId is given (taken from the registry)' })
  @ValidateIf((o: CreateRequestDto) => !o.contactId || o.contact !== undefined)
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;

  @ApiProperty({ enum: ['phone', 'portal', 'email', 'im', 'voicemail'] })
  @IsIn(['phone', 'portal', 'email', 'im', 'voicemail'])
  channel: 'phone' | 'portal' | 'email' | 'im' | 'voicemail';

  @ApiPropertyOptional({ enum: IMPACTS, description: 'symptom form: what the fault does to the business; drives the suggested severity' })
  @IsOptional()
  @IsIn(IMPACTS)
  impact?: Impact;

  @ApiPropertyOptional({ enum: FAULT_KINDS }) @IsOptional() @IsIn(FAULT_KINDS) faultKind?: FaultKind;

  @ApiPropertyOptional({ description: 'dead on arrival: a new unit that never worked (exchanged, not repaired)' })
  @IsOptional()
  @IsBoolean()
  doa?: boolean;

  @ApiPropertyOptional({ enum: UNIT_DELIVERIES, description: 'how the unit comes in when it is repaired in the shop' })
  @IsOptional()
  @IsIn(UNIT_DELIVERIES)
  unitDelivery?: UnitDelivery;

  @ApiPropertyOptional({
    enum: ['P1', 'P2', 'P3', 'P4'],
    description: 'the suggestion from the symptom form unless overridden (default P3)',
  })
  @IsOptional()
  @IsIn(['P1', 'P2', 'P3', 'P4'])
  severity?: Severity;

  @ApiPropertyOptional({ description: 'required when severity differs from the suggestion' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  severityReason?: string;

  @ApiPropertyOptional({ enum: SERVICE_MODES })
  @IsOptional()
  @IsIn(SERVICE_MODES)
  serviceMode?: ServiceMode;

  @ApiPropertyOptional({ description: 'required when serviceMode differs from the suggestion' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  serviceModeReason?: string;

  @ApiPropertyOptional({ type: ComplaintAboutDto, description: 'files a complaint about this case' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ComplaintAboutDto)
  complaintAbout?: ComplaintAboutDto;

  @ApiPropertyOptional({ description: 'file a new request even though an open one matches (needs duplicateOverrideReason)' })
  @IsOptional()
  @IsBoolean()
  allowDuplicate?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) duplicateOverrideReason?: string;

  @ApiPropertyOptional({ type: [AttachmentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) symptom: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  errorCodes?: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) productModel?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) serialNumber?: string;
}
