export * from './notify.service-definition';
