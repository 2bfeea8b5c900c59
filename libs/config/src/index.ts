export * from './service-config';
export * from './variables';
