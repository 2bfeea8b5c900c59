// Two workers finish together only when the long suites start first: without timings from an earlier
// run (a fresh clone has none) jest would order by file size, and an eight-line spec that boots six
// processes for a minute would start last and run alone. Suites that start processes, a browser or
// Kafka go first, the longest kinds first; timings jest has recorded break ties; then file size.
// As with jest's own order, files that failed last time go before all of them.
const Sequencer = require('@jest/test-sequencer').default;

const KINDS = [
  /\/faults\/|\/hostile\/fuzz|\/distributed\.e2e-spec/, // fault injection, the fuzzer, six processes with a kill -9 mid-flow
  /\.e2e-spec\.ts$|\/hostile\//, // whole systems: service processes, a browser, Prometheus
  /kafka/, // a Kafka cluster of their own
  /\/test\//, // integration tests on PostgreSQL
];
const kind = (path) => {
  const i = KINDS.findIndex((re) => re.test(path));
  return i === -1 ? KINDS.length : i;
};

class LongFirstSequencer extends Sequencer {
  sort(tests) {
    const size = (t) => t.context.hasteFS.getSize(t.path) ?? 0;
    const key = (t) => [this.hasFailed(t) ? 0 : 1, kind(t.path), -(this.time(t) ?? 0), -size(t)];
    return [...tests].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3] - y[3];
    });
  }
}

module.exports = LongFirstSequencer;
