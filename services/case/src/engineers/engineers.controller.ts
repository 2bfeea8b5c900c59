import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@aftersales/platform';
import { CreateEngineerDto, EngineerQuery, UpdateEngineerDto } from './engineers.dto';
import { EngineersService } from './engineers.service';

/** The engineers directory: staff read it (with current load), admins maintain it. */
@ApiTags('engineers')
@ApiBearerAuth()
@Controller('engineers')
export class EngineersController {
  constructor(private readonly engineers: EngineersService) {}

  @Get()
  @Roles('agent', 'engineer', 'manager', 'admin')
  list(@Query() q: EngineerQuery) {
    return this.engineers.list(q);
  }

  @Get(':id')
  @Roles('agent', 'engineer', 'manager', 'admin')
  get(@Param('id') id: string) {
    return this.engineers.get(id);
  }

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateEngineerDto) {
    return this.engineers.create(dto);
  }

  @Patch(':id')
  @Roles('admin')
  update(@Param('id') id: string, @Body() dto: UpdateEngineerDto) {
    return this.engineers.update(id, dto);
  }

  @Delete(':id')
  @Roles('admin')
  remove(@Param('id') id: string) {
    return this.engineers.deactivate(id);
  }
}
