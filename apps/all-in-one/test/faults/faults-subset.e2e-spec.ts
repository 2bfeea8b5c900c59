import { describeFaultSuite } from './fault-suite';

// part of `npm test`: two faults of the nine, 60 requests through each (kill -9 of case mid-flow is
// in distributed.e2e-spec.ts, which also runs against a real Kafka where there is one)
describeFaultSuite('fault suite (the npm test subset): one fault after another while requests flow', {
  perPhase: 60,
  only: /^Kafka unreachable|^PostgreSQL restarted/,
});
