import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { RepairQuoteHandler } from './repair-quote.handler';

/** A paid repair's quote, acceptance or refusal on its case; a refusal closes the case. */
@Module({ imports: [CasesModule], controllers: [RepairQuoteHandler] })
export class PaidRepairsModule {}
