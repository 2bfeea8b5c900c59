export * from './engineers.module';
export { AssignmentService } from './assignment.service';
export { EngineersService } from './engineers.service';
