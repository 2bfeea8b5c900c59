import { ServiceConfig } from '@aftersales/config';
import { EventBus, Inbox, Outbox, OutboxRelay } from '@aftersales/messaging';
import { PlatformMetrics } from '@aftersales/observability';
import { DataSource } from 'typeorm';
import { Clock } from './clock';

/** What a running service is made of, handed to its Nest module. */
export interface ServiceRuntime {
  config: ServiceConfig;
  dataSource: DataSource;
  databaseUrl: string;
  bus: EventBus;
  outbox: Outbox;
  inbox: Inbox;
  relay: OutboxRelay;
  metrics: PlatformMetrics;
  /** the time rules run on (a ManualClock in tests) */
  clock: Clock;
}

export const SERVICE_RUNTIME = Symbol('SERVICE_RUNTIME');
/** the parsed shared configuration (`ServiceConfig`) */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** the service's own variables, parsed by its definition's `configSchema` */
export const SERVICE_SETTINGS = Symbol('SERVICE_SETTINGS');
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');
