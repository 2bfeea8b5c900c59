import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventCatalog } from '@aftersales/contracts';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { PATTERN_EXTRAS_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { ON_EVENT_CONSUMER } from '@aftersales/messaging';
import { ServiceDefinition } from '@aftersales/platform';
import { ALL_SERVICES } from '../src/services';

interface Subscription {
  type: string;
  consumer: string;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Class = Function;

/** Every controller a Nest module declares, through its imports (a dynamic module's own lists too). */
function classesOf(module: unknown, seen = new Set<unknown>()): Class[] {
  if (!module || seen.has(module)) return [];
  seen.add(module);
  const dynamic = typeof module === 'object' ? (module as Record<string, unknown>) : {};
  const target = dynamic.module ?? module;
  const meta = (key: string): unknown[] => [
    ...((Reflect.getMetadata(key, target) as unknown[] | undefined) ?? []),
    ...((dynamic[key] as unknown[] | undefined) ?? []),
  ];
  const own = meta(MODULE_METADATA.CONTROLLERS).filter((c): c is Class => typeof c === 'function');
  return [...own, ...meta(MODULE_METADATA.IMPORTS).flatMap((m) => classesOf(m, seen))];
}

/** The events a service consumes: each `@OnEvent(type, { consumer })` of its module's controllers. */
function subscriptionsOf(def: ServiceDefinition): Subscription[] {
  const found: Subscription[] = [];
  for (const cls of classesOf(def.module)) {
    const proto = cls.prototype as object;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown; // not a getter's value
      if (typeof method !== 'function') continue;
      const patterns = Reflect.getMetadata(PATTERN_METADATA, method) as unknown[] | undefined;
      const extras = Reflect.getMetadata(PATTERN_EXTRAS_METADATA, method) as Record<string, unknown> | undefined;
      const consumer = extras?.[ON_EVENT_CONSUMER];
      for (const type of patterns ?? []) if (typeof type === 'string' && typeof consumer === 'string') found.push({ type, consumer });
    }
  }
  return found;
}

/** The README's "## Events" section. */
function eventsSection(service: string): string {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'services', service, 'README.md'), 'utf8');
  return readme.split(/^## /m).find((s) => s.startsWith('Events')) ?? '';
}

/**
 * Whether `name` is in the text as the READMEs write names: whole (`case.loan.requested`), its tail
 * after a row's first name (`…answered`, from a dot on), or a family (`case.reports-*`).
 */
function mentions(text: string, name: string): boolean {
  if (text.includes(`\`${name}\``)) return true;
  const dots = [...name.matchAll(/\./g)].map((m) => m.index);
  if (dots.some((i) => text.includes(`\`…${name.slice(i + 1)}\``))) return true;
  return [...text.matchAll(/`([a-z.-]+)\*`/g)].some((m) => name.startsWith(m[1]!));
}

describe("each service's README", () => {
  it.each(ALL_SERVICES.map((s) => [s.name, s] as const))(
    '%s: names every event it consumes and the consumer that reads it',
    (name, def) => {
      const subscriptions = subscriptionsOf(def);
      const section = eventsSection(name);
      expect(subscriptions.filter((s) => !mentions(section, s.type)).map((s) => s.type)).toEqual([]);
      expect(subscriptions.filter((s) => !mentions(section, s.consumer)).map((s) => s.consumer)).toEqual([]);
    },
  );

  it.each(ALL_SERVICES.map((s) => [s.name] as const))('%s: names every event of its own in the catalog (what it publishes)', (name) => {
    const own = Object.keys(EventCatalog).filter((type) => type.startsWith(`${name}.`));
    expect(own.length).toBeGreaterThan(1);
    expect(own.filter((type) => !mentions(eventsSection(name), type))).toEqual([]);
  });

  it('reads the subscriptions it checks (a module it could not read would pass for nothing)', () => {
    const all = ALL_SERVICES.flatMap(subscriptionsOf);
    expect(all.length).toBeGreaterThan(60);
    expect(all).toEqual(
      expect.arrayContaining([
        { type: 'case.opened.v1', consumer: 'escalation.start-clock' },
        { type: 'survey.complaint.requested.v1', consumer: 'case.complaint-from-survey' },
      ]),
    );
  });

  it('tells a missing name from a present one, written whole, as a tail or as a family', () => {
    const row = '| `spares.part-ask.answered.v1`, `…progressed.v1` | `spares.part-ask.answered` / `…progressed` | `case.reports-*` |';
    expect(mentions(row, 'spares.part-ask.progressed.v1')).toBe(true);
    expect(mentions(row, 'spares.part-ask.progressed')).toBe(true);
    expect(mentions(row, 'case.reports-survey')).toBe(true);
    expect(mentions(row, 'spares.part-ask.requested.v1')).toBe(false);
    expect(mentions(row, 'case.report')).toBe(false);
  });
});
