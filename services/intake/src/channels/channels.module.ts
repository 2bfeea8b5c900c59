import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';

/** Email in (SMTP listener), after-hours voicemail queue, hand-off clock. */
@Module({ imports: [RegistryModule], controllers: [], providers: [] })
export class ChannelsModule {}
