import { z } from 'zod';
import { Topics } from '../topics';
import { isoTime } from './common';

/** Intake's events about installed assets (a file of their own: added beside intake.ts, not into it). */
export const intakeAssetEvents = {
  /**
   * An installed asset came under a contract: registered on it, moved to it, or its model changed
   * (assets are often registered after the contract was signed, issue 14). Spares adds the
   * model's parts to the contract's purchase plan. Keyed by the contract id, so it follows the
   * contract's `intake.contract.signed.v1`.
   */
  'intake.asset.registered.v1': {
    topic: Topics.intakeRequests,
    schema: z.object({
      assetId: z.string(),
      contractId: z.string(),
      customerId: z.string(),
      region: z.string(),
      model: z.string(),
      productLine: z.string().optional(),
      change: z.enum(['registered', 'changed']),
      /** before a change: the contract and model it had (null: under no contract) */
      previous: z.object({ contractId: z.string().nullable(), model: z.string() }).optional(),
      at: isoTime,
    }),
  },
} as const;
