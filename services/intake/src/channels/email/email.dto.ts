import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@aftersales/platform';
import { ContactDto } from '../../requests/create-request.dto';

export class EmailListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['received', 'filed', 'unmatched', 'reply'] })
  @IsOptional()
  @IsIn(['received', 'filed', 'unmatched', 'reply'])
  status?: 'received' | 'filed' | 'unmatched' | 'reply';
}

/** An agent files an unmatched mail: the customer it identified, and anything the mail left out. */
export class FileEmailDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'customerId must be 1-64 letters, digits or _.:-' })
  customerId: string;

  @ApiPropertyOptional({ type: ContactDto, description: 'default: the sender' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;

  @ApiPropertyOptional({ description: 'default: subject and body of the mail' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  symptom?: string;

  @ApiPropertyOptional({ enum: ['P1', 'P2', 'P3', 'P4'] })
  @IsOptional()
  @IsIn(['P1', 'P2', 'P3', 'P4'])
  severity?: 'P1' | 'P2' | 'P3' | 'P4';

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  errorCodes?: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) productModel?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) serialNumber?: string;
}
