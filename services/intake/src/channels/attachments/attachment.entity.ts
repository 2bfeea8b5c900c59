import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A file that came in with a mail (or a voicemail recording), or was uploaded to a request: kept as bytes, served scoped to its customer. */
@Entity({ name: 'attachments' })
export class AttachmentRecord {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'owner_kind' }) ownerKind: 'email' | 'voicemail' | 'request';
  @Column('uuid', { name: 'owner_id' }) ownerId: string;
  @Column('text') region: string;
  @Column('text', { name: 'customer_id', nullable: true }) customerId: string | null;
  @Column('text') filename: string;
  @Column('text', { name: 'content_type' }) contentType: string;
  @Column('int') size: number;
  @Column('bytea', { select: false }) content: Buffer;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}

/** The attachment as listed on events and API answers (no bytes). */
export function attachmentRef(a: Pick<AttachmentRecord, 'id' | 'filename' | 'contentType' | 'size'>) {
  return { attachmentId: a.id, filename: a.filename, contentType: a.contentType, size: a.size };
}
