import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '@aftersales/platform';
import { CHANNELS } from '../domain';

const STATUSES = ['queued', 'sending', 'sent', 'failed', 'dead', 'skipped', 'digested', 'recorded'];

export class DeliveryQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() caseId?: string;
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: string;
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: string;
}

export class IdParam {
  @ApiProperty() @IsUUID() id: string;
}

export class DeliveryView {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) eventId: string | null;
  @ApiProperty({ nullable: true, type: String }) eventType: string | null;
  @ApiProperty({ nullable: true, type: String }) caseId: string | null;
  @ApiProperty({ nullable: true, type: String }) customerId: string | null;
  @ApiProperty() region: string;
  @ApiProperty() template: string;
  @ApiProperty({ enum: ['single', 'digest'] }) kind: string;
  @ApiProperty({ nullable: true, type: String, description: 'the digest this notice was merged into' }) digestId: string | null;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty() recipient: string;
  @ApiProperty({ nullable: true, type: String }) personId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'told as deputy of this person' }) onBehalfOf: string | null;
  @ApiProperty({ enum: ['staff', 'customer'] }) audience: string;
  @ApiProperty({ nullable: true, type: String }) role: string | null;
  @ApiProperty({ enum: ['zh-CN', 'en'] }) language: string;
  @ApiProperty({ nullable: true, type: String }) severity: string | null;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the text part' }) body: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the HTML part (e-mail)' }) html: string | null;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ description: 'attempts made before the last operator retry (the retry budget counts from here)' })
  attemptsBeforeRetry: number;
  @ApiProperty({ description: 'sends repeated after a crash between the provider accept and our commit (same Message-ID)' })
  resends: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) dueAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'while sending: until when a worker holds it' })
  leaseUntil: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sentAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) messageId: string | null;
  @ApiProperty({ nullable: true, type: String, description: "the provider's last answer" }) providerAnswer: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'in-app notices: when the recipient read it' })
  readAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class AttemptView {
  @ApiProperty() attempt: number;
  @ApiProperty() resend: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt: Date;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt: Date | null;
  @ApiProperty({ nullable: true, enum: ['sent', 'failed', 'dead'] }) outcome: string | null;
  @ApiProperty({ nullable: true, type: String }) answer: string | null;
}

export class DeliveryDetail extends DeliveryView {
  @ApiProperty({ type: [AttemptView] }) attemptLog: AttemptView[];
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] }) items: DeliveryView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'only unread' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}

export class InboxItem {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) caseId: string | null;
  @ApiProperty() template: string;
  @ApiProperty({ nullable: true, type: String }) severity: string | null;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({ nullable: true, type: String }) body: string | null;
  @ApiProperty({ nullable: true, type: String }) onBehalfOf: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) readAt: Date | null;
}

export class InboxPage {
  @ApiProperty({ type: [InboxItem] }) items: InboxItem[];
  @ApiProperty() total: number;
  @ApiProperty() unread: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class UnreadCount {
  @ApiProperty() unread: number;
}

export class ReadReceipt {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, format: 'date-time' }) readAt: Date;
}

export class MarkedCount {
  @ApiProperty() marked: number;
}
