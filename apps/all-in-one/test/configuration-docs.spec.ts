import { SHARED_VARIABLES, variablesOf } from '@aftersales/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_SERVICES } from '../src/services';

/** The variables named in the README's "Configuration" table (each in backticks in its first column). */
function documentedVariables(): Set<string> {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Configuration')) ?? '';
  const names = new Set<string>();
  for (const row of section.split('\n').filter((l) => l.startsWith('|'))) {
    const firstColumn = row.split('|')[1] ?? '';
    for (const m of firstColumn.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1]!);
  }
  return names;
}

describe("the README's configuration table", () => {
  const documented = documentedVariables();

  it('documents every shared variable', () => {
    expect(SHARED_VARIABLES.length).toBeGreaterThan(10);
    expect(SHARED_VARIABLES.filter((v) => !documented.has(v))).toEqual([]);
  });

  it.each(ALL_SERVICES.map((s) => [s.name, s] as const))("documents every variable of %s's own schema", (_name, service) => {
    expect(variablesOf(service.configSchema).filter((v) => !documented.has(v))).toEqual([]);
  });

  it('reads the service schemas it checks (a schema it could not read would pass for nothing)', () => {
    const own = ALL_SERVICES.flatMap((s) => variablesOf(s.configSchema));
    expect(own).toEqual(expect.arrayContaining(['INTAKE_TIME_ZONE', 'CASE_ASSIGN_RETRY_MS', 'ESCALATION_FIRING_BATCH']));
  });
});
