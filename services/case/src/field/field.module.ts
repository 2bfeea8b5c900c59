import { Module } from '@nestjs/common';

/** Field work: on-site visits, customer service reports (signed), upstream vendor cases. */
@Module({ controllers: [], providers: [] })
export class FieldModule {}
