import { Module } from '@nestjs/common';
import { AgreementsModule } from './agreements';
import { ChannelsModule } from './channels';
import { KnowledgeModule } from './knowledge';
import { RegistryModule } from './registry';
import { RequestsModule } from './requests';

@Module({ imports: [RegistryModule, RequestsModule, ChannelsModule, KnowledgeModule, AgreementsModule] })
export class IntakeModule {}
