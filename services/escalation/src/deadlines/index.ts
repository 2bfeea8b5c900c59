import { DeadlineEvents } from './deadline-events.handler';
import { DeadlineMetrics } from './deadline-metrics';
import { DeadlineWorker } from './deadline-worker';
import { DeadlinesController } from './deadlines.controller';
import { DeadlinesRepository } from './deadlines.repository';
import { InspectionDeadlines } from './inspection-deadlines.handler';

export { deadlinesConfig } from './deadlines.config';
export { DeadlineWorker } from './deadline-worker';
export { EscalationDeadlines1700000000100 } from '../migrations/1700000000100-escalation-deadlines';

/** The deadlines capability as the escalation module registers it. */
export const deadlineControllers = [DeadlinesController, DeadlineEvents, InspectionDeadlines];
export const deadlineProviders = [DeadlinesRepository, DeadlineMetrics, DeadlineWorker];
