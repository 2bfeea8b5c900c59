import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { dropSchema, openServiceDataSource, selectRows, uniqueSchema } from '../src';

// jest's global setup provides it (libs/testing is not a dependency of this library)
const testDatabaseUrl = (): string => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (its global setup provides one)');
  return url;
};

class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';
  async up(q: QueryRunner): Promise<void> {
    const s = q.connection.driver.schema!;
    await q.query(`CREATE TABLE "${s}".widgets (id int PRIMARY KEY)`);
    await q.query(`INSERT INTO "${s}".widgets VALUES (1)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${q.connection.driver.schema!}".widgets`);
  }
}

describe('openServiceDataSource (real PostgreSQL)', () => {
  const schemas: string[] = [];
  const opened: DataSource[] = [];
  const open = (schema: string, poolSize: number) =>
    openServiceDataSource({ url: testDatabaseUrl(), schema, entities: [], migrations: [CreateWidgets1700000000000], poolSize }).then(
      (ds) => (opened.push(ds), ds),
    );
  const fresh = () => {
    const s = uniqueSchema('datasource');
    schemas.push(s);
    return s;
  };

  afterAll(async () => {
    for (const ds of opened) await ds.destroy();
    for (const s of schemas) await dropSchema(testDatabaseUrl(), s);
  });

  // the migration lock once took a connection of the pool, so a pool of one waited for itself forever
  it('migrates a fresh schema with a pool of one connection', async () => {
    const ds = await open(fresh(), 1);
    expect(await selectRows(ds, `SELECT id FROM widgets`)).toEqual([{ id: 1 }]);
  }, 20_000);

  it('lets replicas start at once on one schema: it is created and migrated once, and both use it', async () => {
    const schema = fresh();
    const [a, b, c] = await Promise.all([open(schema, 1), open(schema, 2), open(schema, 5)]);
    const applied = await selectRows(a!, `SELECT name FROM migrations`);
    expect(applied).toEqual([{ name: 'CreateWidgets1700000000000' }]);
    for (const ds of [a!, b!, c!]) expect(await selectRows(ds, `SELECT id FROM widgets`)).toEqual([{ id: 1 }]);
  }, 20_000);
});
