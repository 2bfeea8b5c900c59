import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { RequestsModule } from '../requests/requests.module';
import { AttachmentsController } from './attachments/attachments.controller';
import { RequestAttachmentsController } from './attachments/request-attachments.controller';
import { RequestAttachmentsService } from './attachments/request-attachments.service';
import { EmailIntakeService } from './email/email-intake.service';
import { EmailsController } from './email/emails.controller';
import { SmtpListener } from './email/smtp-listener';
import { VoicemailService } from './voicemail/voicemail.service';
import { VoicemailsController } from './voicemail/voicemails.controller';

/** Email in (SMTP listener), the after-hours voicemail queue (both file through RequestsService) and files uploaded to requests. */
@Module({
  imports: [RegistryModule, RequestsModule],
  controllers: [EmailsController, AttachmentsController, RequestAttachmentsController, VoicemailsController],
  providers: [EmailIntakeService, SmtpListener, VoicemailService, RequestAttachmentsService],
  exports: [SmtpListener],
})
export class ChannelsModule {}
