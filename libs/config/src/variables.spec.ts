import { z } from 'zod';
import { intVariable, optionalIntVariable, timeZoneVariable, variablesOf } from './variables';

describe('service variable helpers', () => {
  const schema = z.object({
    A_MS: intVariable({ min: 0, default: 250 }),
    A_PORT: optionalIntVariable({ min: 0, max: 65535 }),
    A_TZ: timeZoneVariable({ default: 'UTC' }),
  });

  it('take the default when unset or empty, and parse numbers', () => {
    expect(schema.parse({})).toEqual({ A_MS: 250, A_PORT: undefined, A_TZ: 'UTC' });
    expect(schema.parse({ A_MS: '', A_PORT: '', A_TZ: '' })).toEqual({ A_MS: 250, A_PORT: undefined, A_TZ: 'UTC' });
    expect(schema.parse({ A_MS: '0', A_PORT: '2525', A_TZ: 'Asia/Shanghai' })).toEqual({ A_MS: 0, A_PORT: 2525, A_TZ: 'Asia/Shanghai' });
  });

  it('refuse what is not one (no silent fallback)', () => {
    const bad = schema.safeParse({ A_MS: '-1', A_PORT: '70000', A_TZ: 'Mars/Olympus' });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path[0])).toEqual(['A_MS', 'A_PORT', 'A_TZ']);
  });

  it('name the variables of a schema, refined or not', () => {
    expect(variablesOf(schema)).toEqual(['A_MS', 'A_PORT', 'A_TZ']);
    expect(variablesOf(schema.superRefine(() => undefined))).toEqual(['A_MS', 'A_PORT', 'A_TZ']);
    expect(variablesOf(undefined)).toEqual([]);
  });
});
