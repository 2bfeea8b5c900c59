import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@aftersales/platform';
import { IsAddressFor, PERSON_ID, REGION, ROLE } from '../http/validators';

export class PersonIdParam {
  @ApiProperty({ description: "the person's id: the staff token's `sub`, and for engineers their id in the case service" })
  @Matches(PERSON_ID, { message: 'id must be 1-128 letters, digits or . _ : @ -' })
  id: string;
}

export class PersonDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ description: "the person's region, or '*' for every region" })
  @IsString()
  @Matches(REGION, { message: "region must be '*' or 1-64 lowercase letters, digits or -" })
  region: string;
  @ApiProperty({ type: [String], description: 'roles held, e.g. manager1, senior-engineer, service-delivery-manager, engineer' })
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(ROLE, { each: true, message: 'each role must be 1-64 lowercase letters, digits or -' })
  roles: string[];
  @ApiPropertyOptional({ enum: ['zh-CN', 'en'], description: 'default NOTIFY_DEFAULT_LANGUAGE' })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  language?: 'zh-CN' | 'en';
  @ApiPropertyOptional() @IsOptional() @IsString() @IsAddressFor('email') email?: string;
  @ApiPropertyOptional({ description: 'E.164, e.g. +8613800000000 (SMS)' }) @IsOptional() @IsString() @IsAddressFor('sms') phone?: string;
  @ApiPropertyOptional({ description: 'WeCom group robot key' }) @IsOptional() @IsString() @IsAddressFor('wecom') wecom?: string;
  @ApiPropertyOptional({ description: 'DingTalk group robot access token' })
  @IsOptional()
  @IsString()
  @IsAddressFor('dingtalk')
  dingtalk?: string;
  @ApiPropertyOptional({ description: "who receives this person's notices while away" })
  @IsOptional()
  @Matches(PERSON_ID, { message: 'deputyId must be a person id' })
  deputyId?: string;
  @ApiPropertyOptional({ description: 'away from (ISO 8601); the deputy is told meanwhile' }) @IsOptional() @IsISO8601() awayFrom?: string;
  @ApiPropertyOptional({ description: 'back at (ISO 8601; open-ended when absent)' }) @IsOptional() @IsISO8601() awayUntil?: string;
}

export class PersonView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() region: string;
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty({ enum: ['zh-CN', 'en'] }) language: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) wecom: string | null;
  @ApiProperty({ nullable: true, type: String }) dingtalk: string | null;
  @ApiProperty({ nullable: true, type: String }) deputyId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) awayFrom: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) awayUntil: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class PersonPage {
  @ApiProperty({ type: [PersonView] }) items: PersonView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class PeopleQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ROLE) role?: string;
  @ApiPropertyOptional({ description: 'admins only; others see their own region' }) @IsOptional() @Matches(REGION) region?: string;
}

export class RotationParams {
  @ApiProperty() @Matches(REGION, { message: "region must be '*' or 1-64 lowercase letters, digits or -" }) region: string;
  @ApiProperty() @Matches(ROLE, { message: 'role must be 1-64 lowercase letters, digits or -' }) role: string;
}

export class ShiftDto {
  @ApiProperty() @Matches(PERSON_ID, { message: 'personId must be a person id' }) personId: string;
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday the shift starts on (1 = Monday)' })
  @IsInt()
  @Min(1)
  @Max(7)
  day: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  @ApiProperty({ example: '18:00' }) @IsString() start: string;
  @ApiProperty({ example: '09:00', description: 'not after start: the shift ends the next day' }) @IsString() end: string;
}

export class RotationDto {
  @ApiPropertyOptional({ description: 'IANA time zone (default NOTIFY_TIME_ZONE)' }) @IsOptional() @IsString() timeZone?: string;
  @ApiPropertyOptional({ type: [ShiftDto], description: 'the weekly schedule (may be empty when an iCalendar feed is given)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ShiftDto)
  shifts: ShiftDto[] = [];
  @ApiPropertyOptional({
    description:
      'an uploaded iCalendar (ICS) file of shifts: whoever a VEVENT covering the time names (ATTENDEE mailto: e-mail, or SUMMARY = person id or name) is on call',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1_000_000)
  ical?: string;
  @ApiPropertyOptional({ description: 'or the URL of such a feed, fetched at save and every NOTIFY_ICAL_REFRESH_MINUTES' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  icalUrl?: string;
}

export class OnCallFeedView {
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) fetchedAt: string;
  @ApiProperty({
    description: 'who the events name (mailto:… or summary:…) → person id',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  people: Record<string, string>;
  @ApiProperty({ description: 'the ICS text' }) ics: string;
}

export class RotationView {
  @ApiProperty() region: string;
  @ApiProperty() role: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: [ShiftDto] }) shifts: ShiftDto[];
  @ApiProperty({ type: OnCallFeedView, nullable: true }) ical: OnCallFeedView | null;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class OnCallQuery {
  @ApiPropertyOptional({ description: 'ISO 8601 instant (default now)' }) @IsOptional() @IsISO8601() at?: string;
}

export class OnCallView {
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ type: [String] }) onCall: string[];
}
