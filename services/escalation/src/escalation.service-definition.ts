import { ServiceDefinition } from '@aftersales/platform';
import { escalationConfig } from './escalation.config';
import { EscalationModule } from './escalation.module';
import { EscalationBaseline1700000000000 } from './migrations/1700000000000-escalation-baseline';
import { EscalationFiring1700000000001 } from './migrations/1700000000001-escalation-firing';
import { EscalationLifecycle1700000000002 } from './migrations/1700000000002-escalation-lifecycle';
import { EscalationLadderClock1700000000003 } from './migrations/1700000000003-escalation-ladder-clock';
import { EscalationTargetClocks1700000000004 } from './migrations/1700000000004-escalation-target-clocks';
import { EscalationCaseFacts1700000000005 } from './migrations/1700000000005-escalation-case-facts';
import { deadlinesConfig, EscalationDeadlines1700000000100 } from './deadlines';

export const escalationService: ServiceDefinition = {
  name: 'escalation',
  title: 'aftersales escalation: calendars, SLA policies, clocks and ladders',
  defaultPort: 3003,
  entities: [], // clocks are read and written as rows (ClockRepository)
  migrations: [
    EscalationBaseline1700000000000,
    EscalationFiring1700000000001,
    EscalationLifecycle1700000000002,
    EscalationLadderClock1700000000003,
    EscalationTargetClocks1700000000004,
    EscalationCaseFacts1700000000005,
    EscalationDeadlines1700000000100,
  ],
  module: EscalationModule,
  // the firing loop's bookkeeping: each fired event once (clock_firings), the next time to look (next_due_at);
  // case_terms copies the case's channel and service mode (the case service audits them)
  audit: { skipTables: ['clock_firings', 'case_terms'], skipColumns: { sla_clocks: ['next_due_at'] } },
  configSchema: escalationConfig.merge(deadlinesConfig),
};
