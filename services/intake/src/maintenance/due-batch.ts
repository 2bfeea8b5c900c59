import { Inject, Injectable } from '@nestjs/common';
import { Clock, SERVICE_SETTINGS } from '@aftersales/platform';
import { DataSource, EntityManager } from 'typeorm';
import { MaintenanceSettings } from './maintenance.config';

/**
 * Batches of maintenance timer rows that fell due by the clock: claimed FOR UPDATE SKIP LOCKED by
 * `claim` (so replicas never take the same row), at most INTAKE_MAINTENANCE_BATCH, and each acted
 * on in that same transaction (so a row is acted on once).
 */
@Injectable()
export class DueBatches {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(SERVICE_SETTINGS) private readonly settings: MaintenanceSettings,
  ) {}

  /** One batch; how many rows were claimed (call again while that is the batch size). */
  run<R>(
    claim: (m: EntityManager, now: Date, limit: number) => Promise<R[]>,
    act: (m: EntityManager, row: R, now: Date) => Promise<void>,
  ): Promise<number> {
    const now = this.clock.now();
    return this.ds.transaction(async (m) => {
      const due = await claim(m, now, this.settings.INTAKE_MAINTENANCE_BATCH);
      for (const row of due) await act(m, row, now);
      return due.length;
    });
  }
}

/** What a claimed row points at by foreign key: there while the row is, so its absence is a clear error. */
export function pointedAt<T>(found: T | null, what: string): T {
  if (found === null) throw new Error(`${what} is gone though a due row points at it`);
  return found;
}
