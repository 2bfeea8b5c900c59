export * from './calendar-store';
export * from './policy-store';
