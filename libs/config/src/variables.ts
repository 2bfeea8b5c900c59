import { z } from 'zod';

/** An unset or empty variable takes its default (an empty value in a chart or compose file means "not set"). */
export const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);

/** An integer variable: `min`…`max`, the default when unset or empty. */
export function intVariable(o: { min: number; max?: number; default: number }) {
  return z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number()
      .int()
      .min(o.min)
      .max(o.max ?? Number.MAX_SAFE_INTEGER)
      .default(o.default),
  );
}

/** A positive number variable (hours, minutes…), the default when unset or empty. */
export function positiveVariable(o: { default: number }) {
  return z.preprocess(unsetIfEmpty, z.coerce.number().positive().default(o.default));
}

/** An optional integer variable: undefined when unset or empty (a feature that is off unless set). */
export function optionalIntVariable(o: { min: number; max: number }) {
  return z.preprocess(unsetIfEmpty, z.coerce.number().int().min(o.min).max(o.max).optional());
}

/** An IANA time zone such as `Asia/Shanghai`, the default when unset or empty. */
export function timeZoneVariable(o: { default: string }) {
  return z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'an IANA time zone such as Asia/Shanghai')
      .default(o.default),
  );
}

/** The variable names of a service's settings schema (a zod object, or one wrapped in refinements). */
export function variablesOf(schema: unknown): string[] {
  let s = schema;
  while (s instanceof z.ZodEffects) s = s.innerType();
  return s instanceof z.ZodObject ? Object.keys(s.shape as object) : [];
}
