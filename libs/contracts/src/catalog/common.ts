import { z } from 'zod';

export const Severity = z.enum(['P1', 'P2', 'P3', 'P4']);
export type Severity = z.infer<typeof Severity>;

export const Channel = z.enum(['phone', 'portal', 'email', 'im', 'voicemail']);
export type Channel = z.infer<typeof Channel>;

export const Contact = z.object({
  name: z.string().min(1),
  phone: z.string().optional(),
  email: z.string().optional(),
});

export const isoTime = z.string().datetime({ offset: true });
