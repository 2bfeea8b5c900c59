import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { CurrentPrincipal, PageQuery, Principal } from '@aftersales/platform';
import { CasesService } from './cases.service';

class CaseListQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() requestId?: string;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.cases.get(id, by);
  }

  @Get()
  list(@Query() q: CaseListQuery, @CurrentPrincipal() by: Principal) {
    return this.cases.list(by, { requestId: q.requestId }, q.limit, q.offset);
  }
}
