import { Module } from '@nestjs/common';
import { ChannelsModule } from './channels';
import { KnowledgeModule } from './knowledge';
import { RegistryModule } from './registry';
import { RequestsModule } from './requests';

@Module({ imports: [RegistryModule, RequestsModule, ChannelsModule, KnowledgeModule] })
export class IntakeModule {}
