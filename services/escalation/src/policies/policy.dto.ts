import { ApiProperty } from '@nestjs/swagger';
import { CALENDAR_DEFINITION_SCHEMA } from '@aftersales/calendar';
import { SeveritiesView } from '../api/responses';
import { IsDefined, IsObject, IsString, Matches, MaxLength } from 'class-validator';

/**
 * A new policy, or the next version of one. The body's shape is checked by `validatePolicy` (the
 * domain's own validator, which names every bad path), not by nested DTOs: ladders are data.
 */
export class PolicyVersionDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'id must be 1-64 lowercase letters, digits or -' })
  id: string;
  @ApiProperty() @IsString() @MaxLength(200) name: string;
  @ApiProperty({ enum: ['contract'], description: "always 'contract': clocks count on the case's contract calendar" })
  @IsString()
  calendarMode: string;
  @ApiProperty({ type: SeveritiesView, description: 'P1..P4 → { targets, ladder: { target, rungs[] }, warnAtShare?, pausesOn[] }' })
  @IsDefined()
  @IsObject()
  severities: Record<string, unknown>;
}

export class RegionPolicyDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'policyId must be 1-64 lowercase letters, digits or -' })
  policyId: string;
}

export class CalendarDto {
  @ApiProperty({
    description: "a BusinessCalendarDefinition (its id is the path's)",
    type: 'object',
    properties: CALENDAR_DEFINITION_SCHEMA.properties as never, // a JSON schema object; swagger's types want its own metadata shape
    additionalProperties: false,
    required: ['timeZone', 'kind'],
  })
  @IsDefined()
  @IsObject()
  definition: Record<string, unknown>;
}
