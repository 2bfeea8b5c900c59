import { quietIdleRequestQueues } from './request-queue-idle';

type RequestQueue = new (o: object) => {
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  maybeThrottle(ms: number): void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadRequestQueue = () => require('kafkajs/src/network/requestQueue') as RequestQueue;

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const newQueue = (Queue: RequestQueue = loadRequestQueue()) =>
  new Queue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:9092',
    logger,
  });

describe("kafkajs's request queue on an idle connection", () => {
  const armed: NodeJS.Timeout[] = [];
  afterEach(() => armed.splice(0).forEach((t) => clearTimeout(t)));

  it('as released, arms a timer after every check even with nothing waiting (the loop the fix stops)', () => {
    // kafkajs as released, whatever another test of this file patched
    let Released: RequestQueue | undefined;
    jest.isolateModules(() => (Released = loadRequestQueue()));
    const queue = newQueue(Released);
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    armed.push(queue.throttleCheckTimeoutId!);
  });

  it('with the fix, arms none while nothing waits, and still one for a request held by throttling', () => {
    expect(quietIdleRequestQueues()).toBe(true);
    const idle = newQueue();
    idle.checkPendingRequests();
    expect(idle.throttleCheckTimeoutId).toBeNull();

    const throttled = newQueue();
    throttled.maybeThrottle(1000);
    throttled.pending.push({ correlationId: 1 });
    throttled.checkPendingRequests(); // throttled: the request stays and a later check is scheduled
    expect(throttled.pending).toHaveLength(1);
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    armed.push(throttled.throttleCheckTimeoutId!);
  });
});
