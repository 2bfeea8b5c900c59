import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';

/** Service requests: triage, duplicate prevention, hand-off; every channel files through RequestsService. */
@Module({ imports: [RegistryModule], controllers: [RequestsController], providers: [RequestsService], exports: [RequestsService] })
export class RequestsModule {}
