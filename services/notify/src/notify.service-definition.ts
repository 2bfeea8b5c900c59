import { ServiceDefinition } from '@aftersales/platform';
import { NotifyModule } from './notify.module';
import { notifyConfig } from './notify.config';
import { Notification } from './notifications/notification.entity';
import { NotifyBaseline1700000000000 } from './migrations/1700000000000-notify-baseline';
import { NotifyStaffNotices1700000000100 } from './migrations/1700000000100-notify-staff-notices';
import { NotifyDelivery1700000000200 } from './migrations/1700000000200-notify-delivery';
import { NotifyOnCallFeeds1700000015500 } from './migrations/1700000015500-notify-on-call-feeds';

export const notifyService: ServiceDefinition = {
  name: 'notify',
  title: 'aftersales notify: recipients, channels, templates, delivery log',
  defaultPort: 3006,
  entities: [Notification],
  migrations: [NotifyBaseline1700000000000, NotifyStaffNotices1700000000100, NotifyDelivery1700000000200, NotifyOnCallFeeds1700000015500],
  module: NotifyModule,
  // cases: the case facts notify keeps from case events; attempts and due_at: the delivery loop's retry bookkeeping
  audit: { skipTables: ['cases'], skipColumns: { notifications: ['attempts', 'attempts_before_retry', 'due_at'] } },
  configSchema: notifyConfig,
};
