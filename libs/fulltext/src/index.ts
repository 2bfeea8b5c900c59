export * from './tokens';
export * from './sql';
