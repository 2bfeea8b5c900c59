import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Clock, CurrentPrincipal, Principal, regionScope, Roles, SERVICE_SETTINGS } from '@aftersales/platform';
import { onCallAt, rotationProblems, Shift } from '../domain';
import { notFound, unprocessable } from '../http/errors';
import { NotifySettings } from '../notify.config';
import { OnCallQuery, OnCallView, RotationDto, RotationParams, RotationView } from './directory.dto';
import { DirectoryRepository, RotationRecord } from './directory.repository';
import { OnCallFeeds } from './on-call-feeds';

/** Another region's rotation is out of scope (404), for writes as for reads; a global token sees all. */
const ownRegion = (by: Principal, region: string) => regionScope(by) === undefined || region === by.region || region === '*';

/**
 * On-call rotations for 7x24 support: a weekly schedule and/or an iCalendar feed (uploaded, or a URL
 * fetched periodically) per region and role. While a role has a
 * rotation, its notices go to whoever is on call at the event's time (every holder when a gap in
 * the schedule leaves nobody).
 */

@ApiTags('directory')
@ApiBearerAuth()
@Controller('rotations')
export class RotationsController {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly clock: Clock,
    @Inject(SERVICE_SETTINGS) private readonly s: NotifySettings,
    private readonly feeds: OnCallFeeds,
  ) {}

  @Put(':region/:role')
  @Roles('admin')
  @ApiOkResponse({ type: RotationView })
  @ApiResponse({ status: 400, description: 'malformed shifts, named (`shifts[2].day`)' })
  @ApiResponse({
    status: 422,
    description:
      'an unknown time zone, a bad time, a person not in the directory, or a feed that is unreachable, not iCalendar or names unknown people, named',
  })
  async put(@Param() p: RotationParams, @Body() dto: RotationDto, @CurrentPrincipal() by: Principal): Promise<RotationRecord> {
    if (!ownRegion(by, p.region)) throw notFound(`rotation ${p.region}/${p.role}`);
    const shifts = dto.shifts ?? [];
    const rotation = { region: p.region, role: p.role, timeZone: dto.timeZone ?? this.s.NOTIFY_TIME_ZONE, shifts: shifts as Shift[] };
    const errors = rotationProblems(rotation);
    if (dto.ical !== undefined && dto.icalUrl !== undefined)
      errors.push({ field: 'icalUrl', reason: 'give either ical or icalUrl, not both' });
    const feed =
      errors.length || (dto.ical === undefined && !dto.icalUrl)
        ? null
        : await this.feeds.load(p.region, { ics: dto.ical, url: dto.icalUrl });
    if (feed && !feed.ok) errors.push({ field: feed.field, reason: feed.reason });
    const known = await this.directory.existing([...new Set(shifts.map((s) => s.personId))]);
    shifts.forEach((s, i) => {
      if (!known.has(s.personId)) errors.push({ field: `shifts[${i}].personId`, reason: `no person ${s.personId} in the directory` });
    });
    if (errors.length) throw unprocessable(errors);
    return this.directory.putRotation(
      {
        ...rotation,
        shifts: shifts.map((s) => ({ personId: s.personId, day: s.day, start: s.start, end: s.end })),
        ical: feed?.ok ? feed.feed : null,
      },
      this.clock.now(),
    );
  }

  @Get(':region/:role')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: RotationView })
  @ApiResponse({ status: 404, description: 'no rotation (or another region)' })
  async get(@Param() p: RotationParams, @CurrentPrincipal() by: Principal): Promise<RotationRecord> {
    return this.visible(p, by);
  }

  @Get(':region/:role/on-call')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: OnCallView })
  async onCall(@Param() p: RotationParams, @Query() q: OnCallQuery, @CurrentPrincipal() by: Principal): Promise<OnCallView> {
    const r = await this.visible(p, by);
    const at = q.at ? new Date(q.at) : this.clock.now();
    return { at: at.toISOString(), onCall: onCallAt(r, at) };
  }

  @Delete(':region/:role')
  @HttpCode(204)
  @Roles('admin')
  @ApiResponse({ status: 204, description: 'removed: the role goes to every holder again' })
  async remove(@Param() p: RotationParams, @CurrentPrincipal() by: Principal): Promise<void> {
    if (!ownRegion(by, p.region) || !(await this.directory.deleteRotation(p.region, p.role)))
      throw notFound(`rotation ${p.region}/${p.role}`);
  }

  private async visible(p: RotationParams, by: Principal): Promise<RotationRecord> {
    const r = await this.directory.rotation(p.region, p.role);
    if (!r || !ownRegion(by, p.region)) throw notFound(`rotation ${p.region}/${p.role}`);
    return r;
  }
}
