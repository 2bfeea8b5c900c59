import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { CaseTransitions } from './case-core';
import { closeBlocker } from './close-guard';
import { FieldVisit, ServiceReport } from './field.entities';

/** Registers with the lifecycle: an on-site case closes only once every visit has its report signed by both sides. */
@Injectable()
export class FieldCloseGuard implements OnModuleInit {
  constructor(private readonly transitions: CaseTransitions) {}

  onModuleInit(): void {
    this.transitions.addGuard('closed', (m, c) => this.check(m, c));
  }

  async check(m: EntityManager, c: Case): Promise<string | null> {
    const visits = await m.find(FieldVisit, { where: { caseId: c.id } });
    if (visits.length === 0) return null;
    const reports = await m.find(ServiceReport, { where: { caseId: c.id } });
    return closeBlocker(visits, reports);
  }
}
