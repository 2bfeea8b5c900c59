import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EventData, EventEnvelope } from '@aftersales/contracts';
import { Roles, SERVICE_RUNTIME, ServiceRuntime } from '@aftersales/platform';
import { SurveyCase } from './survey-case.entity';

/** Keeps the contact of every case, so the weekly survey can reach it after close. */
@Controller()
export class SurveyCaseRecorder {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @EventPattern('case.opened.v1')
  async onCaseOpened(@Payload() event: EventEnvelope<EventData<'case.opened.v1'>>): Promise<void> {
    const c = event.data;
    await this.rt.inbox.handleOnce('survey.record-case', event, async (m) => {
      await m.insert(SurveyCase, {
        caseId: c.caseId,
        caseNumber: c.caseNumber,
        customerId: c.customerId,
        contact: c.contact,
        region: c.region,
        openedAt: new Date(c.openedAt),
        closedAt: null,
      });
    });
  }
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class SurveyCaseController {
  constructor(@Inject(SERVICE_RUNTIME) private readonly rt: ServiceRuntime) {}

  @Get(':caseId')
  @Roles('agent', 'manager', 'admin')
  async get(@Param('caseId', new ParseUUIDPipe()) caseId: string) {
    const found = await this.rt.dataSource.getRepository(SurveyCase).findOneBy({ caseId });
    if (!found) throw new NotFoundException(`case ${caseId} is not known to survey`);
    return found;
  }
}
