import { Module } from '@nestjs/common';
import { AcknowledgementHandler } from './notifications/acknowledgement.handler';
import { NotificationMetrics } from './notifications/notification-metrics';
import { NotificationsController } from './notifications/notifications.controller';
import { RoleRecipientsController } from './notifications/role-recipients.controller';
import { StaffNotices } from './notifications/staff-notices.handler';

@Module({
  controllers: [NotificationsController, RoleRecipientsController, AcknowledgementHandler, StaffNotices],
  providers: [NotificationMetrics],
})
export class NotifyModule {}
