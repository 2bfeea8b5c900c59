import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ApiProperty } from '@nestjs/swagger';

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

/** A notice as `GET /notifications` lists it (OpenAPI). */
export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) caseId: string | null;
  @ApiProperty({ nullable: true, type: String }) customerId: string | null;
  @ApiProperty() region: string;
  @ApiProperty() template: string;
  @ApiProperty() channel: string;
  @ApiProperty() recipient: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ nullable: true, type: String, description: 'staff notices: the role told' }) role: string | null;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({ nullable: true, type: String }) body: string | null;
}
