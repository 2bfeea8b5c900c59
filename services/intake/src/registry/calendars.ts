import { Body, Controller, Delete, Get, Headers, HttpCode, Injectable, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  BusinessCalendarDefinition,
  CALENDAR_DEFINITION_SCHEMA,
  calendarShapeProblems,
  HolidayDefinition,
  parseIcsCalendarDays,
  validateCalendarDefinition,
} from '@aftersales/calendar';
import { Clock, CurrentPrincipal, PageOf, PageQuery, Principal, Roles, sendStored, withIdempotency } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { CalendarRecord, Contract } from './registry.entities';
import { notFound, problemException } from './registry-problems';
import { Outbox } from '@aftersales/messaging';
import { CalendarView, HolidayImportView } from '../api/responses';

const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** A definition as the API accepts it: the right shape (400 otherwise), then everything `validateCalendarDefinition` asks for (422). */
function definitionOf(body: unknown): BusinessCalendarDefinition {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw problemException(400, [{ field: '(body)', reason: 'a calendar definition must be a JSON object' }]);
  }
  const shape = calendarShapeProblems(body);
  if (shape.length) throw problemException(400, shape);
  const def = body as BusinessCalendarDefinition;
  if (typeof def.id === 'string' && !ID_RE.test(def.id)) {
    throw problemException(400, [{ field: 'id', reason: 'id must be 1-64 letters, digits or _.:-' }]);
  }
  const problems = validateCalendarDefinition(def);
  if (problems.length) {
    // the calendar library words each problem as "<path>: <reason>"
    const errors = problems.map((p) => {
      const i = p.indexOf(': ');
      return i > 0 ? { field: p.slice(0, i), reason: p.slice(i + 2) } : { field: '(body)', reason: p };
    });
    throw problemException(422, errors, 'invalid business calendar');
  }
  return def;
}

const holidayKey = (h: HolidayDefinition) => ('date' in h ? `${h.date}..${h.date}` : `${h.from}..${h.to}`);

/** Business calendars of contracts: stored as a `BusinessCalendarDefinition`, announced to escalation on every change. */
@Injectable()
export class CalendarsService {
  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  create(body: unknown, by: Principal, key?: string) {
    const def = definitionOf(body);
    return this.dataSource.transaction((m) =>
      withIdempotency(m, this.outbox.schema, `registry:calendars:${by.subject}`, key, def, async () => {
        if (await m.exists(CalendarRecord, { where: { id: def.id } })) {
          throw problemException(409, [{ field: 'id', reason: `calendar ${def.id} already exists` }]);
        }
        await m.insert(CalendarRecord, { id: def.id, definition: def });
        return { status: 201, body: await this.saved(m, def) };
      }),
    );
  }

  async list(limit: number, offset: number) {
    const [items, total] = await this.dataSource.manager.findAndCount(CalendarRecord, {
      order: { id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  async get(id: string, m: EntityManager = this.dataSource.manager): Promise<CalendarRecord> {
    const rec = await m.findOneBy(CalendarRecord, { id });
    if (!rec) throw notFound('calendar', id);
    return rec;
  }

  /** Top-level fields of the body replace the stored ones (e.g. only `holidays`). */
  update(id: string, body: unknown): Promise<CalendarRecord> {
    return this.dataSource.transaction(async (m) => {
      const rec = await this.get(id, m);
      if (body && typeof body === 'object' && 'id' in body && body.id !== id) {
        throw problemException(422, [{ field: 'id', reason: `the id of calendar ${id} cannot change` }]);
      }
      const def = definitionOf({ ...rec.definition, ...(body && typeof body === 'object' ? body : {}), id });
      return this.saved(m, def);
    });
  }

  /** Merges the all-day events of an iCal feed: holidays close days, make-up working days (补班) open them. */
  importHolidays(id: string, ics: string) {
    return this.dataSource.transaction(async (m) => {
      const rec = await this.get(id, m);
      const { holidays, workdays } = parseIcsCalendarDays(ics);
      if (!holidays.length && !workdays.length) {
        throw problemException(422, [{ field: '(body)', reason: 'no all-day events (VEVENT with DTSTART;VALUE=DATE) in the iCal file' }]);
      }
      const def = rec.definition;
      const known = new Set((def.holidays ?? []).map(holidayKey));
      const newHolidays = holidays.filter((h) => !known.has(holidayKey(h)));
      const knownDays = new Set(def.workdays ?? []);
      const newWorkdays = workdays.filter((d) => !knownDays.has(d));
      const merged = definitionOf({
        ...def,
        holidays: [...(def.holidays ?? []), ...newHolidays],
        workdays: [...(def.workdays ?? []), ...newWorkdays].sort(),
      });
      const saved = await this.saved(m, merged);
      return { calendar: saved, added: { holidays: newHolidays.length, workdays: newWorkdays.length } };
    });
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.get(id, m);
      const n = await m.count(Contract, { where: { calendarId: id } });
      if (n) throw problemException(409, [{ field: 'id', reason: `calendar ${id} is still used by ${n} contracts` }]);
      await m.delete(CalendarRecord, { id });
    });
  }

  private async saved(m: EntityManager, def: BusinessCalendarDefinition): Promise<CalendarRecord> {
    await m.update(CalendarRecord, { id: def.id }, { definition: def, updatedAt: this.clock.now() });
    await this.outbox.append(m, [
      {
        type: 'intake.calendar.changed.v1',
        aggregateType: 'calendar',
        aggregateId: def.id,
        data: { calendarId: def.id, definition: def as unknown as Record<string, unknown>, changedAt: this.clock.now().toISOString() },
      },
    ]);
    return m.findOneByOrFail(CalendarRecord, { id: def.id });
  }
}

const STAFF = ['agent', 'engineer', 'manager', 'admin'] as const;

@ApiTags('registry')
@ApiBearerAuth()
@Controller('calendars')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: CalendarView })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ description: 'a BusinessCalendarDefinition (@aftersales/calendar)', schema: CALENDAR_DEFINITION_SCHEMA })
  async create(
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendStored(res, await this.calendars.create(body, by, key));
  }

  @Get()
  @Roles(...STAFF)
  @ApiOkResponse({ type: PageOf(CalendarView) })
  list(@Query() page: PageQuery) {
    return this.calendars.list(page.limit, page.offset);
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOkResponse({ type: CalendarView })
  get(@Param('id') id: string) {
    return this.calendars.get(id);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: CalendarView })
  @ApiBody({
    description: 'top-level fields of a BusinessCalendarDefinition to replace',
    schema: { ...CALENDAR_DEFINITION_SCHEMA, required: [] },
  })
  update(@Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.calendars.update(id, body);
  }

  @Post(':id/holidays')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: HolidayImportView })
  @ApiConsumes('text/calendar')
  @ApiBody({ description: 'an iCalendar file of all-day holidays and make-up working days', schema: { type: 'string' } })
  holidays(@Param('id') id: string, @Body() body: unknown, @Headers('content-type') type: string | undefined) {
    if (!/^text\/calendar\b/i.test(type ?? '') || typeof body !== 'string') {
      throw problemException(
        415,
        [{ field: '(body)', reason: 'send the iCal file with Content-Type: text/calendar' }],
        'unsupported media type',
      );
    }
    return this.calendars.importHolidays(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiNoContentResponse({ description: 'deleted (409 while a contract uses it)' })
  async remove(@Param('id') id: string) {
    await this.calendars.remove(id);
  }
}
