import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CurrentPrincipal, Principal, Roles } from '@aftersales/platform';
import { FAULT_KINDS, FaultKind, IMPACTS, Impact, UNIT_DELIVERIES, UnitDelivery } from './triage';
import { RequestsService } from './requests.service';

const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class TriagePreviewQuery {
  @ApiPropertyOptional({ description: 'the caller’s customer (a customer token: always its own)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'customerId must be 1-64 letters, digits or _.:-' })
  customerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) serialNumber?: string;
  @ApiPropertyOptional({ enum: IMPACTS }) @IsOptional() @IsIn(IMPACTS) impact?: Impact;
  @ApiPropertyOptional({ enum: FAULT_KINDS }) @IsOptional() @IsIn(FAULT_KINDS) faultKind?: FaultKind;
  @ApiPropertyOptional() @IsOptional() @Transform(bool) @IsBoolean() doa?: boolean;
  @ApiPropertyOptional({ enum: UNIT_DELIVERIES }) @IsOptional() @IsIn(UNIT_DELIVERIES) unitDelivery?: UnitDelivery;
  @ApiPropertyOptional() @IsOptional() @Transform(bool) @IsBoolean() complaint?: boolean;
}

export class TriagePreviewView {
  @ApiProperty({ enum: ['P1', 'P2', 'P3', 'P4'], nullable: true }) suggestedSeverity: string | null;
  @ApiProperty({ type: String, nullable: true }) severityWhy: string | null;
  @ApiProperty() suggestedServiceMode: string;
  @ApiProperty() serviceModeWhy: string;
  @ApiProperty({ description: 'warranty status judged for the asset and contract today' }) warranty: string;
  @ApiProperty({ nullable: true, enum: ['business-hours', '7x24'] }) coverage: string | null;
}

/** The symptom form's live suggestion, before anything is filed: the same rules `POST /requests` applies. */
@ApiTags('desk')
@ApiBearerAuth()
@Controller('desk')
export class TriagePreviewController {
  constructor(private readonly requests: RequestsService) {}

  @Get('triage')
  @Roles('agent', 'engineer', 'manager', 'customer', 'admin')
  @ApiOkResponse({ type: TriagePreviewView })
  preview(@Query() q: TriagePreviewQuery, @CurrentPrincipal() by: Principal): Promise<TriagePreviewView> {
    return this.requests.preview(q, by);
  }
}
