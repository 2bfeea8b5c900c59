import { Column, Entity, PrimaryColumn } from 'typeorm';

export type InboundEmailStatus = 'received' | 'filed' | 'unmatched' | 'reply';

/** A mail the SMTP listener accepted for the support address, and what became of it. */
@Entity({ name: 'inbound_emails' })
export class InboundEmail {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'message_id' }) messageId: string;
  @Column('text', { name: 'from_address' }) from: string;
  @Column('text', { name: 'from_name', nullable: true }) fromName: string | null;
  @Column('text') subject: string;
  @Column('text') text: string;
  @Column('text') region: string;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('text') status: InboundEmailStatus;
  @Column('text', { name: 'customer_id', nullable: true }) customerId: string | null;
  @Column('text', { name: 'contact_id', nullable: true }) contactId: string | null;
  @Column('uuid', { name: 'request_id', nullable: true }) requestId: string | null;
  @Column('text', { name: 'case_number', nullable: true }) caseNumber: string | null;
  @Column('text', { name: 'filed_by', nullable: true }) filedBy: string | null;
  @Column('timestamptz', { name: 'filed_at', nullable: true }) filedAt: Date | null;
}
