import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@aftersales/platform';
import { ClockRepository } from './clock.repository';

@ApiTags('clocks')
@ApiBearerAuth()
@Controller('cases/:caseId/clocks')
export class ClocksController {
  constructor(private readonly clocks: ClockRepository) {}

  @Get()
  @Roles('agent', 'engineer', 'manager', 'admin')
  async list(@Param('caseId', new ParseUUIDPipe()) caseId: string) {
    const items = await this.clocks.listOfCase(caseId);
    return { items };
  }
}
