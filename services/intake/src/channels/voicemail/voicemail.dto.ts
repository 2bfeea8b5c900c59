import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsInstant, PageQuery } from '@aftersales/platform';
import { CreateRequestDto } from '../../requests/create-request.dto';

/** What the telephony/IVR integration posts for a message left with it. */
export class CreateVoicemailDto {
  @ApiProperty({ example: '+86 10 5555 0100' })
  @IsString()
  @Matches(/^\+?[0-9 ()-]{3,32}$/, { message: 'callerNumber must be digits, spaces, ()+-' })
  callerNumber: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) callerName?: string;

  @ApiProperty({ description: 'the message as transcribed by the IVR' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  message: string;

  @ApiPropertyOptional({ description: 'ISO 8601 with offset; default: now' })
  @IsOptional()
  @IsInstant()
  recordedAt?: string;
}

export class VoicemailListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'true: only queued tasks that are due now (the work list)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  due?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['queued', 'filed'] })
  @IsOptional()
  @IsIn(['queued', 'filed'])
  status?: 'queued' | 'filed';
}

/**
 * The agent's completed request for a voicemail: every field of a request but the channel; the
 * customer and contact default to the caller as resolved from the registry.
 */
export class RecordVoicemailDto extends IntersectionType(
  OmitType(CreateRequestDto, ['channel', 'contact', 'customerId', 'attachments'] as const),
  PartialType(PickType(CreateRequestDto, ['contact', 'customerId'] as const)),
) {}
