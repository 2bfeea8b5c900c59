import { describeFaultSuite } from './fault-suite';

// `npm run test:faults`: all nine faults, FAULT_REQUESTS (default 1 000) requests in all
describeFaultSuite('fault suite: one fault after another while requests flow', {
  perPhase: Math.ceil((Number(process.env.FAULT_REQUESTS) || 1000) / 9),
});
