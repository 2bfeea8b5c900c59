export * from './business-calendar';
export * from './ics';
