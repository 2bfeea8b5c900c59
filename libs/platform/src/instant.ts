import { registerDecorator, ValidationOptions } from 'class-validator';

/** An instant as every route takes it: ISO 8601 date and time with seconds optional and a zone offset (`Z` or `±hh:mm`). */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Whether `v` is an instant with an offset that names a real moment (2026-02-30T… is refused). */
export function isInstant(v: unknown): v is string {
  if (typeof v !== 'string' || !INSTANT_RE.test(v)) return false;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return false;
  // Date.parse rolls 2026-02-30 over to March: the calendar date must survive the round trip
  const [, y, mo, d] = /^(\d{4})-(\d{2})-(\d{2})/.exec(v)!;
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return probe.getUTCMonth() === Number(mo) - 1 && probe.getUTCDate() === Number(d);
}

/**
 * The one rule for times in request bodies: a date-time with an offset. A bare date or a time
 * without an offset would be read in some zone the client did not say, so it is a 400.
 */
export function IsInstant(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be an ISO 8601 date-time with a time zone offset, e.g. 2026-05-04T09:00:00+08:00`,
        ...options,
      },
      validator: { validate: (v: unknown) => isInstant(v) },
    });
}
