import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { LANGUAGES, TEMPLATE_IDS } from '../domain';

export class TemplateBodyDto {
  @ApiProperty({ description: 'Handlebars; also the IM title', example: '[{{severity}}] escalation: {{label}}' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  subject: string;
  @ApiProperty({ description: "Handlebars: the e-mail's text part and the SMS / IM body (not escaped)" })
  @IsString()
  @MinLength(1)
  @MaxLength(10_000)
  text: string;
  @ApiPropertyOptional({ description: "Handlebars: the e-mail's HTML part, values auto-escaped (empty: the text part in paragraphs)" })
  @IsOptional()
  @IsString()
  @MaxLength(50_000)
  html?: string;
}

export class NewTemplateDto extends TemplateBodyDto {
  @ApiProperty({ enum: TEMPLATE_IDS }) @IsIn(TEMPLATE_IDS) id: (typeof TEMPLATE_IDS)[number];
  @ApiProperty({ enum: LANGUAGES }) @IsIn(LANGUAGES) language: 'zh-CN' | 'en';
}

export class TemplateParams {
  @ApiProperty({ enum: TEMPLATE_IDS })
  @IsIn(TEMPLATE_IDS, { message: `id must be one of ${TEMPLATE_IDS.join(', ')}` })
  id: (typeof TEMPLATE_IDS)[number];
}

export class TemplateLanguageParams extends TemplateParams {
  @ApiProperty({ enum: LANGUAGES }) @IsIn(LANGUAGES, { message: 'language must be zh-CN or en' }) language: 'zh-CN' | 'en';
}

export class TemplateQuery {
  @ApiPropertyOptional({ enum: LANGUAGES }) @IsOptional() @IsIn(LANGUAGES) language?: 'zh-CN' | 'en';
}

export class PreviewDto {
  @ApiProperty({ enum: LANGUAGES }) @IsIn(LANGUAGES) language: 'zh-CN' | 'en';
  @ApiPropertyOptional({ description: 'a draft to preview instead of the template in use (checked like a save)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  subject?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) text?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50_000) html?: string;
  @ApiPropertyOptional({ description: "values to use instead of the event's sample data", type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

export class TemplateView {
  @ApiProperty({ enum: TEMPLATE_IDS }) id: string;
  @ApiProperty({ enum: LANGUAGES }) language: string;
  @ApiProperty({ description: '0: the built-in default (nothing saved)' }) version: number;
  @ApiProperty() subject: string;
  @ApiProperty() text: string;
  @ApiProperty() html: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) createdAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) createdBy: string | null;
}

export class TemplateList {
  @ApiProperty({ type: [TemplateView], description: 'the version in use of every template and language' }) items: TemplateView[];
}

export class TemplateDetail {
  @ApiProperty({ type: [TemplateView] }) inUse: TemplateView[];
  @ApiProperty({ type: [TemplateView], description: 'saved versions, newest first' }) versions: TemplateView[];
  @ApiProperty({ type: [String], description: "the variables this template's event offers" }) variables: string[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the sample data previews use' }) sample: Record<string, unknown>;
}

export class PreviewView {
  @ApiProperty({ enum: LANGUAGES }) language: string;
  @ApiProperty() subject: string;
  @ApiProperty() text: string;
  @ApiProperty() html: string;
}
