import { Module } from '@nestjs/common';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeProjectionHandler } from './knowledge-projection.handler';
import { KnowledgeSuggestions } from './knowledge-suggestions';

/** Local copy of published knowledge articles, searched at intake to suggest a known solution. */
@Module({
  controllers: [KnowledgeController, KnowledgeProjectionHandler],
  providers: [KnowledgeSuggestions],
  exports: [KnowledgeSuggestions],
})
export class KnowledgeModule {}
