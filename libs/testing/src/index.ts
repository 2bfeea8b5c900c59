export * from './wait-for';
export * from './harness';
export * from './kafka-mock-cluster';
export * from './events';
export * from './processes';
export * from './handled';
export * from './promql';
export * from './outbox';
