import { describeFaultSuite } from './fault-suite';

// part of `npm test` (about 75 s): three faults of the nine, 60 requests through each
describeFaultSuite('fault suite (the npm test subset): one fault after another while requests flow', {
  perPhase: 60,
  only: /^kill -9 of case,|^Kafka unreachable|^PostgreSQL restarted/,
});
