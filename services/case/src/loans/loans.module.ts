import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { EngineersModule } from '../engineers';
import { EngineerLoanRepository } from './engineer-loan.repository';
import { EngineerLoansController } from './engineer-loans.controller';
import { EngineerLoansService, LoanMetrics } from './engineer-loans.service';

/** Engineers lent between regions over the interregion topic (domain §2, architecture §9). */
@Module({
  imports: [CasesModule, EngineersModule],
  controllers: [EngineerLoansController],
  providers: [EngineerLoanRepository, EngineerLoansService, LoanMetrics],
})
export class LoansModule {}
