import { ServiceDefinition } from '@aftersales/platform';
import { intakeService } from '@aftersales/service-intake';
import { caseService } from '@aftersales/service-case';
import { escalationService } from '@aftersales/service-escalation';
import { sparesService } from '@aftersales/service-spares';
import { surveyService } from '@aftersales/service-survey';
import { notifyService } from '@aftersales/service-notify';

/** The six bounded contexts. Start order does not matter: each outbox waits until its consumers are there. */
export const ALL_SERVICES: ServiceDefinition[] = [
  intakeService,
  caseService,
  escalationService,
  sparesService,
  surveyService,
  notifyService,
];
