import { Inject, Injectable } from '@nestjs/common';
import { BusinessCalendar, BusinessCalendarDefinition } from '@aftersales/calendar';
import { Clock, SERVICE_CONFIG } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceConfig } from '@aftersales/config';

/** The calendar of 7x24 contracts and of clocks whose contract names no calendar. */
export const ALWAYS_OPEN = BusinessCalendar.always('7x24', 'UTC');

/** How long a replica may use a cached calendar before it re-reads it (holiday edits reach every replica within this). */
const CACHE_MS = 30_000;

/**
 * Business calendars of the contracts, by id (projected from intake's registry through
 * `intake.calendar.changed.v1`, or put here by an admin). Built calendars are cached: building one
 * precomputes its year chunks lazily, so reuse matters at a million clocks.
 */
@Injectable()
export class CalendarStore {
  private readonly cache = new Map<string, { calendar: BusinessCalendar; at: number }>();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The clock's calendar; an unknown id counts around the clock rather than never firing. */
  async get(id: string | null, m: EntityManager = this.dataSource.manager): Promise<BusinessCalendar> {
    if (id === null || id === ALWAYS_OPEN.id) return ALWAYS_OPEN;
    const hit = this.cache.get(id);
    // the cache's age is real elapsed time (monotonic), not business time
    if (hit && performance.now() - hit.at < CACHE_MS) return hit.calendar;
    const rows: Array<{ definition: BusinessCalendarDefinition }> = await m.query(
      `SELECT definition FROM "${this.config.database.schema}".calendars WHERE id = $1`,
      [id],
    );
    const calendar = rows[0] ? new BusinessCalendar(rows[0].definition) : ALWAYS_OPEN;
    this.cache.set(id, { calendar, at: performance.now() });
    return calendar;
  }

  async put(def: BusinessCalendarDefinition, m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO "${this.config.database.schema}".calendars (id, definition, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition, updated_at = EXCLUDED.updated_at`,
      [def.id, JSON.stringify(def), this.clock.now()],
    );
    this.cache.delete(def.id);
  }
}
