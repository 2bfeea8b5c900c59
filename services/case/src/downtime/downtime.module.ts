import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DowntimeController } from './downtime.controller';
import { DowntimeRepository } from './downtime.repository';
import { DowntimeService } from './downtime.service';

/** The downtime cause of a case, set and corrected by staff, audited, announced to intake's warranty ledger. */
@Module({ imports: [CasesModule], controllers: [DowntimeController], providers: [DowntimeService, DowntimeRepository] })
export class DowntimeModule {}
