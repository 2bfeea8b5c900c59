// moved to domain/ (the lifecycle table is a pure rule); kept so imports from here keep working
export * from '../domain/case-lifecycle';
