import { Module } from '@nestjs/common';

/** Knowledge base: solutions written up on close, draft → published, full-text search. */
@Module({ controllers: [], providers: [] })
export class KnowledgeModule {}
