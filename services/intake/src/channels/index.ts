import { IntakeChannels1700000000300 } from '../migrations/1700000000300-intake-channels';
import { IntakeRequestAttachments1700000015300 } from '../migrations/1700000015300-intake-request-attachments';
import { AttachmentRecord } from './attachments/attachment.entity';
import { InboundEmail } from './email/inbound-email.entity';
import { Voicemail } from './voicemail/voicemail.entity';

export * from './channels.module';
export { SmtpListener } from './email/smtp-listener';

export const channelsPersistence = {
  entities: [InboundEmail, AttachmentRecord, Voicemail] as Array<new () => unknown>,
  migrations: [IntakeChannels1700000000300, IntakeRequestAttachments1700000015300] as Array<new () => unknown>,
};
