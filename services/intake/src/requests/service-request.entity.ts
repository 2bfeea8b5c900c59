import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'service_requests' })
export class ServiceRequest {
  @PrimaryColumn('uuid') id: string;
  @Column('text') region: string;
  @Column('text', { name: 'customer_id' }) customerId: string;
  @Column('jsonb') contact: { name: string; phone?: string; email?: string };
  @Column('text') channel: string;
  @Column('text') severity: string;
  @Column('text') symptom: string;
  @Column('text', { name: 'error_codes', array: true }) errorCodes: string[];
  @Column('text', { name: 'product_model', nullable: true }) productModel: string | null;
  @Column('text', { name: 'serial_number', nullable: true }) serialNumber: string | null;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('text', { name: 'created_by' }) createdBy: string;
}
