import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { RequestsModule } from '../requests/requests.module';
import { AttachmentsController } from './attachments/attachments.controller';
import { EmailIntakeService } from './email/email-intake.service';
import { EmailsController } from './email/emails.controller';
import { SmtpListener } from './email/smtp-listener';
import { VoicemailService } from './voicemail/voicemail.service';
import { VoicemailsController } from './voicemail/voicemails.controller';

/** Email in (SMTP listener) and the after-hours voicemail queue; both file requests through RequestsService. */
@Module({
  imports: [RegistryModule, RequestsModule],
  controllers: [EmailsController, AttachmentsController, VoicemailsController],
  providers: [EmailIntakeService, SmtpListener, VoicemailService],
  exports: [SmtpListener],
})
export class ChannelsModule {}
