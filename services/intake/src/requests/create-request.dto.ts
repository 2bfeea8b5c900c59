import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsEmail,
  IsObject,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export class ContactDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 ()-]{3,32}$/, { message: 'phone must be digits, spaces, ()+-' })
  phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string;
}

export class CreateRequestDto {
  @ApiPropertyOptional({ description: 'required for staff; a customer token files for its own customer' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'customerId must be 1-64 letters, digits or _.:-' })
  customerId?: string;

  @ApiProperty({ type: ContactDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => ContactDto) contact: ContactDto;

  @ApiProperty({ enum: ['phone', 'portal', 'email', 'im', 'voicemail'] })
  @IsIn(['phone', 'portal', 'email', 'im', 'voicemail'])
  channel: 'phone' | 'portal' | 'email' | 'im' | 'voicemail';

  @ApiPropertyOptional({ enum: ['P1', 'P2', 'P3', 'P4'], default: 'P3' })
  @IsOptional()
  @IsIn(['P1', 'P2', 'P3', 'P4'])
  severity?: 'P1' | 'P2' | 'P3' | 'P4';

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) symptom: string;

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
