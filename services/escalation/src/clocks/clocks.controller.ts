import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@aftersales/platform';
import { SlaClock } from './sla-clock.entity';
import { DataSource } from 'typeorm';

@ApiTags('clocks')
@ApiBearerAuth()
@Controller('cases/:caseId/clocks')
export class ClocksController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles('agent', 'engineer', 'manager', 'admin')
  async list(@Param('caseId', new ParseUUIDPipe()) caseId: string) {
    const items = await this.dataSource.getRepository(SlaClock).find({ where: { caseId }, order: { target: 'ASC' } });
    return { items };
  }
}
