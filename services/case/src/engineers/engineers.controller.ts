import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PageOf, Roles } from '@aftersales/platform';
import { CreateEngineerDto, EngineerQuery, UpdateEngineerDto } from './engineers.dto';
import { EngineersService } from './engineers.service';
import { EngineerView } from '../api/responses';

/** The engineers directory: staff read it (with current load), admins maintain it. */
@ApiTags('engineers')
@ApiBearerAuth()
@Controller('engineers')
export class EngineersController {
  constructor(private readonly engineers: EngineersService) {}

  @Get()
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: PageOf(EngineerView) })
  list(@Query() q: EngineerQuery) {
    return this.engineers.list(q);
  }

  @Get(':id')
  @Roles('agent', 'engineer', 'manager', 'admin')
  @ApiOkResponse({ type: EngineerView })
  get(@Param('id') id: string) {
    return this.engineers.get(id);
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: EngineerView })
  create(@Body() dto: CreateEngineerDto) {
    return this.engineers.create(dto);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: EngineerView })
  update(@Param('id') id: string, @Body() dto: UpdateEngineerDto) {
    return this.engineers.update(id, dto);
  }

  @Delete(':id')
  @Roles('admin')
  @ApiOkResponse({ type: EngineerView, description: 'deactivated (engineers stay in the directory: cases refer to them)' })
  remove(@Param('id') id: string) {
    return this.engineers.deactivate(id);
  }
}
