import { Column, Entity, PrimaryColumn } from 'typeorm';

export type VoicemailStatus = 'queued' | 'filed';

/** An after-hours message left with the IVR: a task due at the customer's next business opening. */
@Entity({ name: 'voicemails' })
export class Voicemail {
  @PrimaryColumn('uuid') id: string;
  @Column('text') region: string;
  @Column('text', { name: 'caller_number' }) callerNumber: string;
  @Column('text', { name: 'caller_name', nullable: true }) callerName: string | null;
  @Column('text') message: string;
  @Column('text', { name: 'customer_id', nullable: true }) customerId: string | null;
  @Column('text', { name: 'contact_id', nullable: true }) contactId: string | null;
  @Column('text', { name: 'contract_id', nullable: true }) contractId: string | null;
  @Column('text', { name: 'calendar_id', nullable: true }) calendarId: string | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('text') status: VoicemailStatus;
  @Column('uuid', { name: 'request_id', nullable: true }) requestId: string | null;
  @Column('text', { name: 'handled_by', nullable: true }) handledBy: string | null;
  @Column('timestamptz', { name: 'handled_at', nullable: true }) handledAt: Date | null;
  @Column('boolean', { name: 'handled_early', default: false }) handledEarly: boolean;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
