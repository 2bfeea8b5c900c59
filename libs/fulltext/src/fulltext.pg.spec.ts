import { Client } from 'pg';
import { toSearchDocument, toTsQuery, weightedTsvectorSql } from './index';

// The same token strings, run through PostgreSQL's own parser and 'english' stemmer.
describe('full-text tokens in PostgreSQL (no extensions)', () => {
  const db = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  beforeAll(() => db.connect());
  afterAll(() => db.end());

  const matches = async (doc: string, query: string, mode: 'all' | 'any' = 'all') => {
    const [row] = (
      await db.query(`SELECT to_tsvector('english', $1) @@ to_tsquery('english', $2) AS hit`, [
        toSearchDocument(doc),
        toTsQuery(query, mode),
      ])
    ).rows;
    return row.hit as boolean;
  };

  it('matches a Chinese symptom by a fragment, and not by a phrase that is not there', async () => {
    expect(await matches('存储阵列离线，数据丢失', '阵列离线')).toBe(true);
    expect(await matches('存储阵列离线，数据丢失', '阵列丢失')).toBe(false);
    expect(await matches('存储阵列离线，数据丢失', '阵列丢失', 'any')).toBe(true);
  });

  it('stems English: "crashes" finds "crash" and the other way round', async () => {
    expect(await matches('The controller may crash on boot', 'crashes')).toBe(true);
    expect(await matches('Controller crashes during rebuild', 'crash')).toBe(true);
    expect(await matches('Controller crashes during rebuild', 'reboot')).toBe(false);
  });

  it('keeps codes whole: RAID-5 is not RAID-6, and 0x8007000E is one token', async () => {
    expect(await matches('Array degraded (RAID-5)', 'raid-5')).toBe(true);
    expect(await matches('Array degraded (RAID-5)', 'RAID-6')).toBe(false);
    expect(await matches('Update fails with 0x8007000E', '0x8007000e')).toBe(true);
    expect(await matches('Update fails with 0x8007000E', '0x8007')).toBe(false);
  });

  it('weights fields for ranking: a title hit outranks a solution hit', async () => {
    const vec = weightedTsvectorSql({ A: '$1::text', C: '$2::text' });
    const rank = async (a: string, c: string) =>
      (
        await db.query(`SELECT ts_rank_cd(${vec}, to_tsquery('english', $3)) AS r`, [
          toSearchDocument(a),
          toSearchDocument(c),
          toTsQuery('风扇'),
        ])
      ).rows[0].r as number;
    expect(await rank('风扇故障', '更换')).toBeGreaterThan(await rank('电源故障', '更换风扇'));
  });
});
