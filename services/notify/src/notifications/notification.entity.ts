import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'notifications' })
export class Notification {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'case_id', nullable: true }) caseId: string | null;
  @Column('text', { name: 'customer_id', nullable: true }) customerId: string | null;
  @Column('text') region: string;
  @Column('text') template: string;
  @Column('text') channel: string;
  @Column('text') recipient: string;
  @Column('text') status: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  /** staff notices: the role told, and what they read */
  @Column('text', { nullable: true }) role: string | null;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('text', { nullable: true }) body: string | null;
}
