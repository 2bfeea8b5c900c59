import type { Tier } from '@aftersales/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

import { Grade } from '../domain/assignment-policy';

// the grades are the assignment policy's; the engineers DTO takes them from here
export { GRADES } from '../domain/assignment-policy';
export type { Grade } from '../domain/assignment-policy';

/** Someone cases are routed to: by tier, grade, skills (product lines), region and load. */
@Entity({ name: 'engineers' })
export class Engineer {
  @PrimaryColumn('text') id: string;
  @Column('text') name: string;
  @Column('text') tier: Tier;
  @Column('text') grade: Grade;
  @Column('text', { array: true }) skills: string[];
  @Column('text') region: string;
  @Column('text', { name: 'superior_id', nullable: true }) superiorId: string | null;
  @Column('boolean') senior: boolean;
  @Column('boolean') active: boolean;
  @Column('int', { name: 'max_load' }) maxLoad: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
