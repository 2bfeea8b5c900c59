import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@aftersales/config';
import { DataSource } from 'typeorm';
import { SERVICE_CONFIG } from './runtime';

/**
 * The base of a repository bound to the service's own schema: subclasses need no constructor of
 * their own (Nest reads the injected parameters from this one) and name their tables with `table`.
 */
@Injectable()
export abstract class SchemaRepository {
  readonly schema: string;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    protected readonly dataSource: DataSource,
  ) {
    this.schema = config.database.schema;
  }

  /** `name` in the service's schema, quoted for SQL. */
  protected table(name: string): string {
    return `"${this.schema}".${name}`;
  }
}
