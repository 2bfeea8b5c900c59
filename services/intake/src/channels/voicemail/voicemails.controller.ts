import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PageOf, Principal, Roles } from '@aftersales/platform';
import { CreateVoicemailDto, RecordVoicemailDto, VoicemailListQuery } from './voicemail.dto';
import { VoicemailService } from './voicemail.service';
import { RecordedVoicemailView, VoicemailView } from '../../api/responses';

/** The after-hours voicemail queue: posted by the telephony/IVR integration, worked by agents. */
@ApiTags('voicemails')
@ApiBearerAuth()
@Controller('voicemails')
export class VoicemailsController {
  constructor(private readonly voicemails: VoicemailService) {}

  /** 201 with `status: 'queued'` (a task due at `dueAt`) or `status: 'filed'` (desk open: a request at once). */
  @Post()
  @HttpCode(201)
  @Roles('agent', 'admin')
  @ApiCreatedResponse({ type: VoicemailView })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(@Body() dto: CreateVoicemailDto, @CurrentPrincipal() by: Principal, @Headers('idempotency-key') key: string | undefined) {
    return (await this.voicemails.create(dto, by, key)).body;
  }

  @Get()
  @Roles('agent', 'manager', 'admin')
  @ApiOkResponse({ type: PageOf(VoicemailView) })
  list(@Query() q: VoicemailListQuery, @CurrentPrincipal() by: Principal) {
    return this.voicemails.list(by, q);
  }

  @Get(':id')
  @Roles('agent', 'manager', 'admin')
  @ApiOkResponse({ type: VoicemailView })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.voicemails.get(id, by);
  }

  @Post(':id/record')
  @HttpCode(201)
  @Roles('agent', 'admin')
  @ApiCreatedResponse({ type: RecordedVoicemailView, description: 'the voicemail, filed, with the request it became' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  record(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: RecordVoicemailDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
  ) {
    return this.voicemails.record(id, dto, by, key);
  }
}
