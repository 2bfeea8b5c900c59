import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PageOf, Principal, Roles } from '@aftersales/platform';
import { EmailListQuery, FileEmailDto } from './email.dto';
import { EmailIntakeService } from './email-intake.service';
import { FiledEmailView, InboundEmailDetailView, InboundEmailView } from '../../api/responses';

/** The agent's view of mail to the support address: the unmatched ones wait here to be filed. */
@ApiTags('emails')
@ApiBearerAuth()
@Controller('emails')
@Roles('agent', 'admin')
export class EmailsController {
  constructor(private readonly emails: EmailIntakeService) {}

  @Get()
  @ApiOkResponse({ type: PageOf(InboundEmailView) })
  list(@Query() q: EmailListQuery, @CurrentPrincipal() by: Principal) {
    return this.emails.list(by, q.status, q.limit, q.offset);
  }

  @Get(':id')
  @ApiOkResponse({ type: InboundEmailDetailView })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.emails.get(id, by);
  }

  @Post(':id/file')
  @HttpCode(201)
  @ApiCreatedResponse({ type: FiledEmailView, description: 'the mail, filed, with the request it became' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  file(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: FileEmailDto,
    @CurrentPrincipal() by: Principal,
    @Headers('idempotency-key') key: string | undefined,
  ) {
    return this.emails.fileUnmatched(id, body, by, key);
  }
}
