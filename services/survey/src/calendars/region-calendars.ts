import { Controller, Inject, Injectable } from '@nestjs/common';
import { BusinessCalendar, BusinessCalendarDefinition, validateCalendarDefinition } from '@aftersales/calendar';
import { Envelope, HandlerContext, OnEvent } from '@aftersales/messaging';
import { Clock, SERVICE_CONFIG, SERVICE_SETTINGS } from '@aftersales/platform';
import { ServiceConfig } from '@aftersales/config';
import { selectOne } from '@aftersales/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { SurveySettings } from '../survey.config';

/**
 * The business calendar of each region (SURVEY_REGION_CALENDARS names it; the definitions come
 * from intake's registry over `intake.calendar.changed.v1`): the weekly batch runs on its
 * business days in its zone, callback deadlines count its business hours. A region without one
 * counts in SURVEY_TIME_ZONE around the clock.
 */
@Injectable()
export class RegionCalendars {
  private readonly s: string;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(SERVICE_SETTINGS) private readonly settings: SurveySettings,
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {
    this.s = `"${config.database.schema}"`;
  }

  /** The region's calendar, or null when none is named or it has not arrived yet. */
  async of(region: string, m: EntityManager | DataSource = this.db): Promise<BusinessCalendar | null> {
    const id = this.settings.SURVEY_REGION_CALENDARS[region];
    if (!id) return null;
    const row = await selectOne<{ definition: BusinessCalendarDefinition }>(m, `SELECT definition FROM ${this.s}.calendars WHERE id = $1`, [
      id,
    ]);
    return row ? new BusinessCalendar(row.definition) : null;
  }

  /** The zone a region's weeks are counted in. */
  async timeZoneOf(region: string): Promise<string> {
    return (await this.of(region))?.timeZone ?? this.settings.SURVEY_TIME_ZONE;
  }

  async put(m: EntityManager, def: BusinessCalendarDefinition): Promise<void> {
    await m.query(
      `INSERT INTO ${this.s}.calendars (id, definition, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition, updated_at = EXCLUDED.updated_at`,
      [def.id, JSON.stringify(def), this.clock.now()],
    );
  }
}

/** Keeps the registry's calendars (a definition that does not validate is ignored: the last good one stays). */
@Controller()
export class CalendarProjectionHandler {
  constructor(private readonly calendars: RegionCalendars) {}

  @OnEvent('intake.calendar.changed.v1', { consumer: 'survey.calendar' })
  async onChanged(e: Envelope<'intake.calendar.changed.v1'>, { manager }: HandlerContext): Promise<void> {
    const def = { ...e.data.definition, id: e.data.calendarId } as unknown as BusinessCalendarDefinition;
    if (validateCalendarDefinition(def).length) return;
    await this.calendars.put(manager, def);
  }
}
