import { Body, Controller, Delete, Get, HttpCode, Inject, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { Roles, SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';

export class RoleRecipientDto {
  @ApiProperty({ description: "region, or '*' for every region" })
  @IsString()
  @Matches(/^(\*|[a-z0-9-]{1,64})$/, { message: "region must be '*' or 1-64 lowercase letters, digits or -" })
  region: string;
  @ApiProperty() @IsString() @Matches(/^[a-z0-9-]{1,64}$/, { message: 'role must be 1-64 lowercase letters, digits or -' }) role: string;
  @ApiProperty({ enum: ['in-app', 'email', 'sms'] }) @IsIn(['in-app', 'email', 'sms']) channel: 'in-app' | 'email' | 'sms';
  @ApiProperty() @IsString() @MaxLength(254) @Matches(/^\S+$/, { message: 'address must not contain spaces' }) address: string;
}

/** Who holds an escalation role in a region, and where they are told. */
@ApiTags('recipients')
@ApiBearerAuth()
@Controller('role-recipients')
export class RoleRecipientsController {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  private get table(): string {
    return `"${this.rt.config.database.schema}".role_recipients`;
  }

  @Get()
  @Roles('manager', 'admin')
  async list(@Query('region') region?: string) {
    const items = await this.rt.dataSource.query(
      `SELECT region, role, channel, address FROM ${this.table} ${region ? 'WHERE region = $1' : ''} ORDER BY region, role, channel, address`,
      region ? [region] : [],
    );
    return { items };
  }

  @Put()
  @Roles('admin')
  async put(@Body() dto: RoleRecipientDto) {
    await this.rt.dataSource.query(
      `INSERT INTO ${this.table} (region, role, channel, address) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [dto.region, dto.role, dto.channel, dto.address],
    );
    return dto;
  }

  @Delete()
  @HttpCode(204)
  @Roles('admin')
  async remove(@Body() dto: RoleRecipientDto): Promise<void> {
    await this.rt.dataSource.query(`DELETE FROM ${this.table} WHERE region = $1 AND role = $2 AND channel = $3 AND address = $4`, [
      dto.region,
      dto.role,
      dto.channel,
      dto.address,
    ]);
  }
}
