export * from './week';
export * from './exclusion';
export * from './scores';
export * from './ownership';
export * from './period';
export * from './report';
export * from './region-calendar';
