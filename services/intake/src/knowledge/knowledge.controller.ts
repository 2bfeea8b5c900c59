import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Roles } from '@aftersales/platform';
import { KnowledgeSuggestions } from './knowledge-suggestions';
import { KnowledgeSuggestionsView } from '../api/responses';

/** `?errorCode=E42&errorCode=E43` or `?errorCode=E42,E43` */
const listOf = ({ value }: { value: unknown }): unknown[] =>
  (Array.isArray(value) ? (value as unknown[]) : [value])
    .flatMap((v): unknown[] => (typeof v === 'string' ? v.split(',') : [v]))
    .map((v) => (typeof v === 'string' ? v.trim() : v))
    .filter((v) => v !== '');

class SuggestionQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) symptom?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @Transform(listOf)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  errorCode?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) productLine?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) productModel?: string;
  @ApiPropertyOptional({ default: 5, maximum: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(20) limit = 5;
}

@ApiTags('knowledge')
@ApiBearerAuth()
@Controller('knowledge')
export class KnowledgeController {
  constructor(private readonly suggestions: KnowledgeSuggestions) {}

  /** For the agent desk and the portal: published articles that fit a symptom / error codes. */
  @Get('suggestions')
  @Roles('agent', 'engineer', 'manager', 'customer', 'admin')
  @ApiOkResponse({ type: KnowledgeSuggestionsView })
  async suggest(@Query() q: SuggestionQuery) {
    const items = await this.suggestions.suggest(
      { symptom: q.symptom, errorCodes: q.errorCode, productLine: q.productLine, productModel: q.productModel },
      q.limit,
    );
    return { items };
  }
}
