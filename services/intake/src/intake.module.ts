import { Module } from '@nestjs/common';
import { ChannelsModule } from './channels';
import { KnowledgeModule } from './knowledge';
import { RegistryModule } from './registry';
import { RequestsController } from './requests/requests.controller';
import { RequestsService } from './requests/requests.service';

@Module({
  imports: [RegistryModule, ChannelsModule, KnowledgeModule],
  controllers: [RequestsController],
  providers: [RequestsService],
})
export class IntakeModule {}
