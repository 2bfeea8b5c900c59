import { Module } from '@nestjs/common';
import { AgreementsModule } from './agreements';
import { ChannelsModule } from './channels';
import { KnowledgeModule } from './knowledge';
import { MaintenanceModule } from './maintenance';
import { RegistryModule } from './registry';
import { RequestsModule } from './requests';

@Module({ imports: [RegistryModule, RequestsModule, ChannelsModule, KnowledgeModule, AgreementsModule, MaintenanceModule] })
export class IntakeModule {}
