import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { CaseType, ServiceMode } from '@aftersales/contracts';

const text = (max: number) => [IsString(), MinLength(1), MaxLength(max), Matches(/\S/, { message: '$property must not be blank' })];
const apply =
  (...ds: PropertyDecorator[]): PropertyDecorator =>
  (t, k) =>
    ds.forEach((d) => d(t, k));

export class ExclusionCriteriaDto {
  @ApiPropertyOptional({ enum: CaseType.options }) @IsOptional() @IsIn(CaseType.options) caseType?: string;
  @ApiPropertyOptional({ example: 'C-100' }) @IsOptional() @apply(...text(100)) customerId?: string;
  @ApiPropertyOptional({ example: 'storage' }) @IsOptional() @apply(...text(100)) productLine?: string;
  @ApiPropertyOptional({ enum: ServiceMode.options }) @IsOptional() @IsIn(ServiceMode.options) serviceMode?: string;
  @ApiPropertyOptional({ example: 'K-2026-001' }) @IsOptional() @apply(...text(100)) contractId?: string;
  @ApiPropertyOptional({ description: 'a tag staff put on the case (`PUT /cases/{id}/tags`)', example: 'LSP' })
  @IsOptional()
  @apply(...text(50))
  tag?: string;
}

export class CreateExclusionRuleDto {
  @ApiProperty({ example: 'LSP cases are not surveyed' }) @apply(...text(200)) name: string;
  @ApiPropertyOptional({
    description: 'the region it applies in; omitted: a manager’s own region, for an admin every region',
    example: 'north',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, { message: 'region must be lowercase letters, digits and dashes' })
  region?: string;
  @ApiProperty({ type: ExclusionCriteriaDto, description: 'all given criteria must hold (at least one)' })
  @IsObject()
  @ValidateNested()
  @Type(() => ExclusionCriteriaDto)
  criteria: ExclusionCriteriaDto;
}

export class ExclusionRuleView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) region: string | null;
  @ApiProperty({ type: ExclusionCriteriaDto }) criteria: ExclusionCriteriaDto;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: Date;
}
