import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ServiceConfig } from '@aftersales/config';
import { Clock, CurrentPrincipal, Principal, Roles, SERVICE_CONFIG, SERVICE_SETTINGS, withIdempotency } from '@aftersales/platform';
import { DataSource } from 'typeorm';
import {
  LANGUAGES,
  renderTemplate,
  TEMPLATE_IDS,
  TEMPLATE_SAMPLES,
  TEMPLATE_SCOPES,
  TemplateId,
  templateProblems,
  TemplateSource,
} from '../domain';
import { unprocessable } from '../http/errors';
import { NotifySettings } from '../notify.config';
import {
  NewTemplateDto,
  PreviewDto,
  PreviewView,
  TemplateBodyDto,
  TemplateDetail,
  TemplateLanguageParams,
  TemplateList,
  TemplateParams,
  TemplateQuery,
  TemplateView,
} from './templates.dto';
import { builtIn, TemplateStore } from './template-store';
import { StoredTemplate, TemplateRepository } from './template.repository';

/** A template that does not compile, or uses a variable its event lacks, is refused with line and column per part. */
function checked(id: TemplateId, dto: TemplateBodyDto): TemplateSource {
  const t = { subject: dto.subject, text: dto.text, html: dto.html ?? '' };
  const problems = templateProblems(id, t);
  if (problems.length) {
    throw unprocessable(
      problems.map((p) => ({ field: p.field, line: p.line, column: p.column, reason: `line ${p.line}, column ${p.column}: ${p.reason}` })),
    );
  }
  return t;
}

/**
 * Templates per notice and language (zh-CN, en), Handlebars, versioned: every save is a new
 * version and the newest is used; until one is saved the built-in default is (version 0).
 */
@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class TemplatesController {
  constructor(
    private readonly repo: TemplateRepository,
    private readonly store: TemplateStore,
    private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(SERVICE_SETTINGS) private readonly s: NotifySettings,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Get()
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: TemplateList })
  async list(): Promise<TemplateList> {
    const saved = await this.repo.allCurrent();
    return {
      items: TEMPLATE_IDS.flatMap((id) =>
        LANGUAGES.map((language) => saved.find((t) => t.id === id && t.language === language) ?? builtIn(id, language)),
      ),
    };
  }

  @Get(':id')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: TemplateDetail })
  async get(@Param() p: TemplateParams, @Query() q: TemplateQuery): Promise<TemplateDetail> {
    const inUse = await this.store.inUse(this.db, p.id);
    return {
      inUse: LANGUAGES.filter((l) => !q.language || l === q.language).map((l) => inUse[l]),
      versions: await this.repo.versions(p.id, q.language),
      variables: Object.keys(TEMPLATE_SCOPES[p.id]).sort(),
      sample: TEMPLATE_SAMPLES[p.id],
    };
  }

  /** Saves a new version of a template in one language. */
  @Post()
  @Roles('admin')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: TemplateView })
  @ApiResponse({
    status: 422,
    description: 'does not compile, or uses a variable the event does not have: `errors[]` name part, line and column',
  })
  async create(
    @Body() dto: NewTemplateDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StoredTemplate> {
    const t = checked(dto.id, dto);
    const r = await this.db.transaction((m) =>
      withIdempotency(m, this.config.database.schema, `templates:${by.subject}`, key, dto, async () => ({
        status: 201,
        body: await this.repo.save(m, dto.id, dto.language, t, by.subject, this.clock.now()),
      })),
    );
    res.status(r.status);
    if (r.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return r.body;
  }

  /** Saves the template for one language; the same content as the version in use changes nothing (idempotent). */
  @Put(':id/:language')
  @Roles('admin')
  @ApiOkResponse({ type: TemplateView })
  @ApiResponse({
    status: 422,
    description: 'does not compile, or uses a variable the event does not have: `errors[]` name part, line and column',
  })
  async put(@Param() p: TemplateLanguageParams, @Body() dto: TemplateBodyDto, @CurrentPrincipal() by: Principal): Promise<StoredTemplate> {
    const t = checked(p.id, dto);
    return this.db.transaction(async (m) => {
      const current = (await this.store.inUse(m, p.id))[p.language];
      if (current.version > 0 && current.subject === t.subject && current.text === t.text && current.html === t.html) return current;
      return this.repo.save(m, p.id, p.language, t, by.subject, this.clock.now());
    });
  }

  /** Renders the template in use (or a draft given in the body) with the event's sample data. */
  @Post(':id/preview')
  @HttpCode(200)
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: PreviewView })
  @ApiResponse({ status: 422, description: 'the draft does not compile or uses an unknown variable (line and column)' })
  async preview(@Param() p: TemplateParams, @Body() dto: PreviewDto): Promise<PreviewView> {
    const inUse = (await this.store.inUse(this.db, p.id))[dto.language];
    const draft = dto.subject !== undefined || dto.text !== undefined || dto.html !== undefined;
    const t = draft
      ? checked(p.id, { subject: dto.subject ?? inUse.subject, text: dto.text ?? inUse.text, html: dto.html ?? inUse.html })
      : inUse;
    const rendered = renderTemplate(
      t,
      { ...TEMPLATE_SAMPLES[p.id], ...dto.data },
      { language: dto.language, timeZone: this.s.NOTIFY_TIME_ZONE },
    );
    return { language: dto.language, ...rendered };
  }
}
