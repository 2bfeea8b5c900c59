import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { Roles, SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { CaseDemand } from './case-demand.entity';

/** Remembers each open case's region, severity and unit, which part requests will need. */
@Controller()
export class CaseDemandRecorder {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @EventPattern('case.opened.v1')
  async onCaseOpened(@Payload() event: EventEnvelope<EventData<'case.opened.v1'>>): Promise<void> {
    const c = event.data;
    await this.rt.inbox.handleOnce('spares.record-case', event, async (m) => {
      await m.insert(CaseDemand, {
        caseId: c.caseId,
        region: c.region,
        severity: c.severity,
        serialNumber: c.serialNumber ?? null,
        openedAt: new Date(c.openedAt),
      });
    });
  }
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseDemandController {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @Get(':caseId')
  @Roles('agent', 'engineer', 'manager', 'admin')
  async get(@Param('caseId', new ParseUUIDPipe()) caseId: string) {
    const found = await this.rt.dataSource.getRepository(CaseDemand).findOneBy({ caseId });
    if (!found) throw new NotFoundException(`case ${caseId} is not known to spares`);
    return found;
  }
}
