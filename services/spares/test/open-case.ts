import { EventInput } from '@aftersales/contracts';
import { EventBus } from '@aftersales/messaging';
import { receiveRequest, TestService, waitFor } from '@aftersales/testing';

/** A request received over `bus`, and the case the case service opened and assigned for it. */
export async function openAssignedCase(
  cases: TestService,
  bus: EventBus,
  token: string,
  over: Partial<EventInput<'intake.request.received.v1'>>,
): Promise<{ id: string; [field: string]: unknown }> {
  const request = await receiveRequest(bus, over);
  return waitFor('the case, assigned', async () => {
    const res = await cases.http('GET', `/cases?requestId=${request.requestId}`, { token });
    const c = (res.body as { items?: Array<{ id: string; status: string }> }).items?.[0];
    return c?.status === 'assigned' ? c : undefined;
  });
}
