import { z } from 'zod';

export const Severity = z.enum(['P1', 'P2', 'P3', 'P4']);
export type Severity = z.infer<typeof Severity>;

export const Channel = z.enum(['phone', 'portal', 'email', 'im', 'voicemail']);
export type Channel = z.infer<typeof Channel>;

/** How the case is served (seed 001/004): decided at intake from warranty and contract. */
export const ServiceMode = z.enum(['remote', 'on-site', 'carry-in', 'mail-in', 'paid', 'return-exchange', 'complaint']);
export type ServiceMode = z.infer<typeof ServiceMode>;

export const Coverage = z.enum(['business-hours', '7x24']);
export type Coverage = z.infer<typeof Coverage>;

/** Warranty as intake saw it when the request came in. */
export const WarrantyStatus = z.enum(['in-warranty', 'under-contract', 'expired', 'unknown']);
export type WarrantyStatus = z.infer<typeof WarrantyStatus>;

/** Support tiers: L1 hotline, L2 field, L3 second line, L4 vendor. */
export const Tier = z.enum(['L1', 'L2', 'L3', 'L4']);
export type Tier = z.infer<typeof Tier>;

export const Contact = z.object({
  name: z.string().min(1),
  phone: z.string().optional(),
  email: z.string().optional(),
});

export const isoTime = z.string().datetime({ offset: true });
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The contract terms a case runs under, copied onto the request and the case so that clocks need no lookup. */
export const ContractTerms = z.object({
  contractId: z.string(),
  coverage: Coverage,
  calendarId: z.string().optional(),
  policyId: z.string().optional(),
  warrantyEndsOn: isoDate.optional(),
});
export type ContractTerms = z.infer<typeof ContractTerms>;

export const Attachment = z.object({
  attachmentId: z.string().uuid(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
});
