import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInstant } from '@aftersales/platform';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, Matches, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';

/** Whitespace is not a name, a diagnosis or a status. */
const NotBlank = () => Matches(/\S/, { message: '$property must not be blank' });

const TEXT = 10_000;
const NAME = 200;
/** An optional name: text, not blank, at most NAME characters. */
const OptionalName = (description: string) =>
  applyDecorators(ApiPropertyOptional({ description }), IsOptional(), IsString(), NotBlank(), MaxLength(NAME));

export class DispatchVisitDto {
  @ApiProperty() @IsString() @NotBlank() @MaxLength(NAME) engineerId: string;
  @ApiProperty({ format: 'date-time' })
  @IsInstant()
  plannedArrivalAt: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) note?: string;
}

export class ArrivalDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'defaults to now' })
  @IsOptional()
  @IsInstant()
  arrivedAt?: string;
}

export class CompletionDto {
  @ApiProperty() @IsString() @NotBlank() @MaxLength(TEXT) workDone: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'defaults to now' })
  @IsOptional()
  @IsInstant()
  completedAt?: string;
}

export class PartUsedDto {
  @ApiProperty() @IsString() @NotBlank() @MaxLength(NAME) description: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(NAME) partNumber?: string;
  @ApiProperty() @IsInt() @Min(1) @Max(10_000) quantity: number;
}

export class CreateReportDto {
  @ApiPropertyOptional({ description: "defaults to the case's symptom" })
  @IsOptional()
  @IsString()
  @NotBlank()
  @MaxLength(TEXT)
  symptom?: string;
  @ApiProperty() @IsString() @NotBlank() @MaxLength(TEXT) diagnosis: string;
  @ApiPropertyOptional({ description: "defaults to the visit's work done" })
  @IsOptional()
  @IsString()
  @NotBlank()
  @MaxLength(TEXT)
  workDone?: string;
  @ApiPropertyOptional({ type: [PartUsedDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PartUsedDto)
  partsUsed?: PartUsedDto[];
  @OptionalName("defaults to the case's contact") customerName?: string;
  @OptionalName("defaults to the visiting engineer's name in the directory") engineerName?: string;
}

/** JSON `{ typedName }`, or multipart with the image in `signature` and optionally the signer's name. */
export class SignatureDto {
  @OptionalName('a typed signature: the signer types the full name') typedName?: string;
  @OptionalName("with an image: who signed (defaults to the report's name for the party)") signerName?: string;
}

export class OpenVendorCaseDto {
  @ApiProperty({ example: 'Huawei' }) @IsString() @NotBlank() @MaxLength(NAME) vendor: string;
  @ApiProperty() @IsString() @NotBlank() @MaxLength(NAME) vendorCaseNumber: string;
  @ApiPropertyOptional({ default: 'open' }) @IsOptional() @IsString() @NotBlank() @MaxLength(NAME) status?: string;
}

export class UpdateVendorCaseDto {
  @ApiProperty() @IsString() @NotBlank() @MaxLength(NAME) vendorStatus: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) note?: string;
}
