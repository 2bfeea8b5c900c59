import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { isScore } from '../domain/scores';
import { PageQuery } from '@aftersales/platform';

/**
 * A score is an integer 1–5 when given: 0, 6, 2.5, "5", null and arrays are refused by name, with
 * one reason (`ValidateIf` rather than `IsOptional`, which would let null through as "not given").
 */
const score = (): PropertyDecorator => {
  const decorators = [
    ApiPropertyOptional({ type: Number, minimum: 1, maximum: 5, description: '5 very satisfied … 1 very dissatisfied' }),
    ValidateIf((_o, v) => v !== undefined),
    ValidateBy({
      name: 'isScore',
      validator: { validate: (v) => isScore(v), defaultMessage: (a) => `${a?.property} must be an integer from 1 to 5` },
    }),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

export class ScoresDto {
  /** 反应时间 */
  @score() responseTime?: number;
  /** 工程师技术水平 */
  @score() technicalSkill?: number;
  /** 工程师服务态度 */
  @score() attitude?: number;
  /** 对问题的处理结果 */
  @score() outcome?: number;
}

/** A partial answer names what it saves; a final answer needs all four items (with what was saved before). */
export class AnswerDto {
  @ApiPropertyOptional({ type: ScoresDto })
  @ValidateIf((_o, v) => v !== undefined)
  @IsObject({ message: 'scores must be an object of item scores' })
  @ValidateNested()
  @Type(() => ScoresDto)
  scores?: ScoresDto;

  @ApiPropertyOptional({ description: 'did the case process go smoothly (Case处理流程是否通畅)' })
  @ValidateIf((_o, v) => v !== undefined)
  @IsBoolean()
  smooth?: boolean;

  @ApiPropertyOptional({ maxLength: 4000 })
  @ValidateIf((_o, v) => v !== undefined)
  @IsString()
  @MaxLength(4000)
  comment?: string;
}

export class SurveyListQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-W49' })
  @IsOptional()
  @Matches(/^\d{4}-W\d{2}$/, { message: 'week must look like 2026-W49' })
  week?: string;
  @ApiPropertyOptional({ enum: ['sent', 'partial', 'answered'] }) @IsOptional() @IsIn(['sent', 'partial', 'answered']) status?:
    'sent' | 'partial' | 'answered';
  @ApiPropertyOptional() @IsOptional() @IsUUID() caseId?: string;
}

export class SurveyView {
  @ApiProperty() id: string;
  @ApiProperty() caseId: string;
  @ApiProperty() caseNumber: string;
  @ApiProperty() region: string;
  @ApiProperty({ example: '2026-W49' }) week: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ enum: ['sent', 'partial', 'answered'] }) status: string;
  @ApiProperty({ type: ScoresDto }) scores: ScoresDto;
  @ApiProperty({ nullable: true, type: Boolean }) smooth: boolean | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty() sentAt: Date;
  @ApiProperty() expiresAt: Date;
  @ApiProperty({ nullable: true, type: String, enum: ['link', 'phone', 'portal'] }) via: string | null;
  @ApiProperty({ nullable: true, type: Date }) answeredAt: Date | null;
  @ApiPropertyOptional({ description: 'staff only', nullable: true, type: String }) ownerName?: string | null;
  @ApiPropertyOptional({ description: 'staff only', nullable: true, type: String }) escalationOwnerName?: string | null;
}

export class AnswerFormItem {
  @ApiProperty({ enum: ['responseTime', 'technicalSkill', 'attitude', 'outcome'] }) item: string;
  @ApiProperty({ example: { 'zh-CN': '反应时间', en: 'Response time' } }) label: Record<string, string>;
}

export class AnswerFormView {
  @ApiProperty() caseNumber: string;
  @ApiProperty({ enum: ['sent', 'partial', 'answered'] }) status: string;
  @ApiProperty() expiresAt: Date;
  @ApiProperty({ type: [AnswerFormItem] }) items: AnswerFormItem[];
  @ApiProperty({ description: 'score → meaning, 5 very satisfied … 1 very dissatisfied' }) scale: Record<string, Record<string, string>>;
  @ApiProperty() smoothQuestion: Record<string, string>;
  @ApiProperty({ type: ScoresDto, description: 'what was saved so far' }) scores: ScoresDto;
  @ApiProperty({ nullable: true, type: Boolean }) smooth: boolean | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
}
