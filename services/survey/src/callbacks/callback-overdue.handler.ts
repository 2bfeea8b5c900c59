import { Controller } from '@nestjs/common';
import { Envelope, OnEvent } from '@aftersales/messaging';
import { CallbacksService } from './callbacks.service';
import { TxContext } from '../shared/tx';

/** Escalation holds the callback deadlines; survey records when one passed. */
@Controller()
export class CallbackOverdueHandler {
  constructor(private readonly callbacks: CallbacksService) {}

  @OnEvent('escalation.deadline.overdue.v1', { consumer: 'survey.callback-overdue' })
  async onOverdue(e: Envelope<'escalation.deadline.overdue.v1'>, { manager, afterCommit }: TxContext): Promise<void> {
    await this.callbacks.onOverdue(manager, e, afterCommit);
  }
}
