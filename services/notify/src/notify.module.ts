import { Module } from '@nestjs/common';
import { CaseProjectionHandler } from './cases/case-projection.handler';
import { CaseProjectionRepository } from './cases/case-projection.repository';
import { Channels } from './channels/channels';
import { WebhookRepository } from './channels/webhook.repository';
import { WebhooksController } from './channels/webhooks.controller';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { DeliveryMetrics } from './deliveries/delivery-metrics';
import { DeliveryWorker } from './deliveries/delivery-worker';
import { DeliveryRepository } from './deliveries/delivery.repository';
import { InboxController } from './deliveries/inbox.controller';
import { Notifier } from './deliveries/notifier';
import { DirectoryRepository } from './directory/directory.repository';
import { PeopleController } from './directory/people.controller';
import { OnCallFeeds } from './directory/on-call-feeds';
import { RotationsController } from './directory/rotations.controller';
import { ContractNotices } from './notifications/contract-notices.handler';
import { AcknowledgementHandler } from './notifications/acknowledgement.handler';
import { NotificationsController } from './notifications/notifications.controller';
import { RoleRecipientsController } from './notifications/role-recipients.controller';
import { StaffNotices } from './notifications/staff-notices.handler';
import { SurveyNotices } from './notifications/survey-notices.handler';
import { TemplateStore } from './templates/template-store';
import { TemplateRepository } from './templates/template.repository';
import { TemplatesController } from './templates/templates.controller';

@Module({
  controllers: [
    NotificationsController,
    DeliveriesController,
    InboxController,
    RoleRecipientsController,
    PeopleController,
    RotationsController,
    TemplatesController,
    WebhooksController,
    AcknowledgementHandler,
    StaffNotices,
    SurveyNotices,
    ContractNotices,
    CaseProjectionHandler,
  ],
  providers: [
    DeliveryRepository,
    DirectoryRepository,
    OnCallFeeds,
    CaseProjectionRepository,
    TemplateRepository,
    WebhookRepository,
    TemplateStore,
    Channels,
    DeliveryMetrics,
    DeliveryWorker,
    Notifier,
  ],
})
export class NotifyModule {}
