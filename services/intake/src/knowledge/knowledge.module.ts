import { Module } from '@nestjs/common';

/** Local copy of published knowledge articles, searched at intake to suggest a known solution. */
@Module({ controllers: [], providers: [] })
export class KnowledgeModule {}
