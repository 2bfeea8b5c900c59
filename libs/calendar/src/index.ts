export * from './business-calendar';
export * from './ics';
export * from './calendar-shape';
export * from './local-time';
