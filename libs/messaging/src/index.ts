export * from './bus';
export * from './messaging-tables';
export * from './outbox';
export * from './inbox';
export * from './outbox-relay';
export * from './in-process-bus';
export * from './event-bus.server';
export * from './kafka/kafka-bus';
