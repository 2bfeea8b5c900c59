export * from './telemetry';
export * from './logger';
export * from './metrics';
export * from './scraped-gauges';
export * from './interregion-metrics';
