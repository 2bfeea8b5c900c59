import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { RequestsModule } from '../requests/requests.module';

/** Email in (SMTP listener) and the after-hours voicemail queue; both file requests through RequestsService. */
@Module({ imports: [RegistryModule, RequestsModule], controllers: [], providers: [] })
export class ChannelsModule {}
