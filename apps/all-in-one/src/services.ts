import { ServiceDefinition } from '@aftersales/platform';
import { intakeService } from '../../../services/intake/src/intake.service-definition';
import { caseService } from '../../../services/case/src/case.service-definition';
import { escalationService } from '../../../services/escalation/src/escalation.service-definition';
import { sparesService } from '../../../services/spares/src/spares.service-definition';
import { surveyService } from '../../../services/survey/src/survey.service-definition';
import { notifyService } from '../../../services/notify/src/notify.service-definition';

/** The six bounded contexts, in start order (consumers before the producers that feed them is not needed: the outbox waits). */
export const ALL_SERVICES: ServiceDefinition[] = [
  intakeService,
  caseService,
  escalationService,
  sparesService,
  surveyService,
  notifyService,
];
