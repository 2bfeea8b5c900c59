import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PageQuery } from '@aftersales/platform';
import { CreateRequestDto } from '../../requests/create-request.dto';

export class EmailListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['received', 'filed', 'unmatched', 'reply'] })
  @IsOptional()
  @IsIn(['received', 'filed', 'unmatched', 'reply'])
  status?: 'received' | 'filed' | 'unmatched' | 'reply';
}

class FileEmailCustomer {
  @ApiProperty({ description: 'the customer the agent identified the sender with' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'customerId must be 1-64 letters, digits or _.:-' })
  customerId: string;
}

/**
 * An agent files an unmatched mail: the customer it identified, and any request field the mail
 * left out. Contact defaults to the sender, symptom to subject and body; the attachments come along.
 */
export class FileEmailDto extends IntersectionType(
  FileEmailCustomer,
  OmitType(CreateRequestDto, ['channel', 'customerId', 'contact', 'symptom', 'attachments'] as const),
  PartialType(PickType(CreateRequestDto, ['contact', 'symptom'] as const)),
) {}
