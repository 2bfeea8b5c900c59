import { Param } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@aftersales/platform';
import { notFound } from '../shared/problems';
import { canSee } from '../shared/scope';
import { CaseDemandRepository } from './case-demand.repository';
import { Read, SparesApi, uuid } from '../shared/http';
import { Transactions } from '../shared/tx';

class CaseDemandView {
  @ApiProperty() caseId: string;
  @ApiPropertyOptional({ type: String, nullable: true }) caseNumber: string | null;
  @ApiProperty() region: string;
  @ApiProperty() severity: string;
  @ApiPropertyOptional({ type: String, nullable: true }) customerId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) serialNumber: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) productModel: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) warranty: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) contractId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) warrantyEndsOn: string | null;
  @ApiProperty() openedAt: Date;
}

@SparesApi('cases', 'cases')
export class CaseDemandController {
  constructor(
    private readonly tx: Transactions,
    private readonly cases: CaseDemandRepository,
  ) {}

  /** What spares knows of a case (recorded from `case.opened.v1`); another region's case is 404. */
  @Read(':caseId', CaseDemandView, { notFound: true })
  async get(@Param('caseId', uuid) caseId: string, @CurrentPrincipal() by: Principal) {
    const found = await this.cases.get(this.tx.reads, caseId);
    if (!found || !canSee(by, found)) throw notFound('case', caseId);
    return found;
  }
}
