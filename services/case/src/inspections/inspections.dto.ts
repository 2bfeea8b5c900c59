import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Severity } from '@aftersales/contracts';
import { PageQuery } from '@aftersales/platform';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class ItemResultDto {
  @ApiProperty({ enum: ['pass', 'fail', 'not-applicable'] }) @IsIn(['pass', 'fail', 'not-applicable']) result:
    'pass' | 'fail' | 'not-applicable';
  @ApiPropertyOptional({ example: 'fan 2 noisy, airflow alarm cleared' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class FindingDto {
  @ApiPropertyOptional({ description: 'the checklist item it came from' }) @IsOptional() @IsString() @MaxLength(200) itemId?: string;
  @ApiProperty({ example: 'controller B cache battery failing' })
  @IsString()
  @Matches(/\S/, { message: 'symptom must not be blank' })
  @MaxLength(4000)
  symptom: string;
  @ApiPropertyOptional({ enum: Severity.options, default: 'P3' }) @IsOptional() @IsIn(Severity.options) severity?:
    'P1' | 'P2' | 'P3' | 'P4';
  @ApiPropertyOptional({ description: 'the asset at fault (one of the work order’s)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  assetId?: string;
}

export class InspectionSignatureDto {
  @ApiProperty({ description: 'the signer types the full name' })
  @IsString()
  @Matches(/\S/, { message: 'typedName must not be blank' })
  @MaxLength(200)
  typedName: string;
}

export class InspectionQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'contractId must be a contract id' })
  contractId?: string;
  @ApiPropertyOptional({ enum: ['open', 'signed'] }) @IsOptional() @IsIn(['open', 'signed']) status?: 'open' | 'signed';
}

export class InspectionView {
  @ApiProperty() id: string;
  @ApiProperty() caseId: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty() contractId: string;
  @ApiPropertyOptional({ type: String, nullable: true }) siteId: string | null;
  @ApiProperty({ enum: ['on-site', 'remote'] }) kind: string;
  @ApiProperty() scheduledFor: string;
  @ApiProperty() dueBy: string;
  @ApiProperty({ enum: ['open', 'signed'] }) status: string;
  @ApiPropertyOptional({ type: String, nullable: true }) signedAt: string | null;
  @ApiProperty({ description: 'checklist items with their results' }) items: unknown[];
  @ApiProperty({ description: 'items, passed, failed, notApplicable' }) tally: Record<string, number>;
  @ApiProperty({ description: 'findings and the ordinary cases they opened' }) findings: unknown[];
  @ApiProperty({ description: 'customer and engineer signatures' }) signatures: unknown[];
}
