export * from './auth';
export * from './errors';
export * from './idempotency';
export * from './runtime';
export * from './bootstrap';
export * from './platform.controllers';
export * from './pagination';
export * from './clock';
