import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsUUID, Matches, Max, Min } from 'class-validator';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** an error code needs at least one letter or digit: "—" or "  " is not a code */
const CODE = /[\p{L}\p{Nd}]/u;
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

class ArticleFields {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) productLine?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) productModel?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  @Matches(CODE, { each: true, message: 'each error code needs a letter or digit' })
  errorCodes?: string[];

  @ApiPropertyOptional({ enum: LANGUAGES, description: 'detected from the text when omitted' })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;
}

export class CreateArticleDto extends ArticleFields {
  @ApiProperty() @Transform(trimmed) @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @ApiProperty() @Transform(trimmed) @IsString() @IsNotEmpty() @MaxLength(4000) symptom: string;
  @ApiPropertyOptional({ description: 'may stay empty in a draft; required to publish' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  solution?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() sourceCaseId?: string;
}

/** Every field optional: what the case does not say is taken from it. */
export class ArticleFromCaseDto extends ArticleFields {
  @ApiPropertyOptional() @IsOptional() @Transform(trimmed) @IsString() @IsNotEmpty() @MaxLength(200) title?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trimmed) @IsString() @IsNotEmpty() @MaxLength(4000) symptom?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20000) solution?: string;
}

export class UpdateArticleDto extends ArticleFields {
  @ApiPropertyOptional() @IsOptional() @Transform(trimmed) @IsString() @IsNotEmpty() @MaxLength(200) title?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trimmed) @IsString() @IsNotEmpty() @MaxLength(4000) symptom?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20000) solution?: string;
}

export class WithdrawArticleDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class ArticleVersionQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}

/** `?errorCode=E42&errorCode=E43` or `?errorCode=E42,E43` */
const listOf = ({ value }: { value: unknown }): unknown[] =>
  (Array.isArray(value) ? (value as unknown[]) : [value])
    .flatMap((v): unknown[] => (typeof v === 'string' ? v.split(',') : [v]))
    .map((v) => (typeof v === 'string' ? v.trim() : v))
    .filter((v) => v !== '');

export class SearchQuery {
  @ApiPropertyOptional({ description: 'free text: every word / CJK bigram must be found' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  q?: string;
  @ApiPropertyOptional({ description: 'a reported symptom: ranked by how much of it matches' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  symptom?: string;
  @ApiPropertyOptional({ type: [String], description: 'exact error codes (case and separators ignored)' })
  @IsOptional()
  @Transform(listOf)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  @Matches(CODE, { each: true, message: 'each error code needs a letter or digit' })
  errorCode?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) productLine?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) productModel?: string;
  @ApiPropertyOptional({ enum: ['draft', 'published', 'withdrawn'], description: 'staff only; customers see published' })
  @IsOptional()
  @IsIn(['draft', 'published', 'withdrawn'])
  status?: 'draft' | 'published' | 'withdrawn';
  @ApiPropertyOptional({ default: 20, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit = 20;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}
