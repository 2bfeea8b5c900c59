import { Body, Controller, Delete, Get, HttpCode, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Roles } from '@aftersales/platform';
import { DirectoryRepository } from '../directory/directory.repository';
import { IsAddressFor, REGION, ROLE } from '../http/validators';

export class RoleRecipientDto {
  @ApiProperty({ description: "region, or '*' for every region" })
  @IsString()
  @Matches(REGION, { message: "region must be '*' or 1-64 lowercase letters, digits or -" })
  region: string;
  @ApiProperty() @IsString() @Matches(ROLE, { message: 'role must be 1-64 lowercase letters, digits or -' }) role: string;
  @ApiProperty({ enum: ['in-app', 'email', 'sms'] }) @IsIn(['in-app', 'email', 'sms']) channel: 'in-app' | 'email' | 'sms';
  @ApiProperty({ description: 'e-mail address, E.164 phone number (sms) or person id (in-app)' })
  @IsString()
  @MaxLength(254)
  @IsAddressFor()
  address: string;
}

class RoleRecipientQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(REGION) region?: string;
}

class RoleRecipientList {
  @ApiProperty({ type: [RoleRecipientDto] }) items: RoleRecipientDto[];
}

/**
 * Addresses registered for a role in a region directly (an on-duty mailbox, a shared phone),
 * told besides the people who hold the role in the directory (`PUT /people/{id}`).
 */
@ApiTags('recipients')
@ApiBearerAuth()
@Controller('role-recipients')
export class RoleRecipientsController {
  constructor(private readonly directory: DirectoryRepository) {}

  @Get()
  @Roles('manager', 'admin')
  @ApiOkResponse({ type: RoleRecipientList })
  async list(@Query() q: RoleRecipientQuery): Promise<RoleRecipientList> {
    return { items: (await this.directory.roleAddresses(q.region)) as RoleRecipientDto[] };
  }

  @Put()
  @Roles('admin')
  @ApiOkResponse({ type: RoleRecipientDto })
  @ApiResponse({ status: 400, description: 'a field is malformed (the e-mail address, the E.164 number, …): nothing stored' })
  async put(@Body() dto: RoleRecipientDto): Promise<RoleRecipientDto> {
    await this.directory.addRoleAddress(dto);
    return dto;
  }

  @Delete()
  @HttpCode(204)
  @Roles('admin')
  @ApiResponse({ status: 204, description: 'removed (or was not there)' })
  async remove(@Body() dto: RoleRecipientDto): Promise<void> {
    await this.directory.removeRoleAddress(dto);
  }
}
