import { Module } from '@nestjs/common';
import { AcknowledgementHandler } from './notifications/acknowledgement.handler';
import { NotificationsController } from './notifications/notifications.controller';

@Module({ controllers: [NotificationsController, AcknowledgementHandler] })
export class NotifyModule {}
