import { z } from 'zod';

/**
 * The JSON shape of a `BusinessCalendarDefinition`, checked before `validateCalendarDefinition`
 * reads it (which assumes arrays where arrays belong). A wrong shape is a client's mistake the API
 * answers with 400 naming the field; a well-shaped definition with wrong values (an unknown time
 * zone, 18:00–09:00) is then a 422 from `validateCalendarDefinition`.
 */
const window = z.object({ start: z.string().max(5), end: z.string().max(5) }).strict();
const name = z.string().max(200).optional();
const holiday = z.union([
  z.object({ date: z.string().max(10), name }).strict(),
  z.object({ from: z.string().max(10), to: z.string().max(10), name }).strict(),
]);

export const calendarDefinitionShape = z
  .object({
    id: z.string().max(64),
    timeZone: z.string().max(64),
    kind: z.string().max(32),
    weekly: z.record(z.string().max(2), z.array(window).max(24)).optional(),
    holidays: z.array(holiday).max(5000).optional(),
    workdays: z.array(z.string().max(10)).max(5000).optional(),
    workdayHours: z.array(window).max(24).optional(),
  })
  .strict();

export interface ShapeProblem {
  field: string;
  reason: string;
}

/** Wrong-shape problems of a calendar definition, each naming its field (`prefix.` before every path). */
export function calendarShapeProblems(value: unknown, prefix = ''): ShapeProblem[] {
  const parsed = calendarDefinitionShape.safeParse(value);
  if (parsed.success) return [];
  const field = (path: Array<string | number>) => (path.length ? prefix + path.join('.') : prefix.replace(/\.$/, '') || '(body)');
  return parsed.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: field([...issue.path, k]), reason: `property ${k} should not exist` }));
    }
    return [{ field: field(issue.path), reason: issue.message }];
  });
}

/** The same shape as a JSON schema, for the OpenAPI documents of the routes that take a calendar. */
const windowSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['start', 'end'],
  properties: { start: { type: 'string', example: '09:00' }, end: { type: 'string', example: '18:00' } },
};
export const CALENDAR_DEFINITION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'timeZone', 'kind'],
  properties: {
    id: { type: 'string', maxLength: 64 },
    timeZone: { type: 'string', description: 'IANA time zone', example: 'Asia/Shanghai' },
    kind: { type: 'string', enum: ['7x24', 'business-hours'] },
    weekly: {
      type: 'object',
      description: 'ISO weekday (1 = Monday … 7 = Sunday) → open windows',
      additionalProperties: { type: 'array', items: windowSchema },
    },
    holidays: {
      type: 'array',
      items: {
        type: 'object',
        description: '{ date } or { from, to } (inclusive), YYYY-MM-DD',
        additionalProperties: false,
        properties: { date: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, name: { type: 'string' } },
      },
    },
    workdays: { type: 'array', items: { type: 'string', description: 'YYYY-MM-DD' } },
    workdayHours: { type: 'array', items: windowSchema },
  },
};
