import { ChildProcess, spawn } from 'node:child_process';

/**
 * A real Kafka wire-protocol endpoint for tests without Docker: librdkafka's built-in mock cluster,
 * started through Debian's `kcat` (`apt-get install -y kcat`).
 *
 * How it works: `kcat -P -X test.mock.num.brokers=N` makes librdkafka start N mock brokers on
 * 127.0.0.1 (random ports) and log one notice on stderr:
 *
 *   %5|1700000000.123|MOCK|rdkafka#producer-1| [thrd:app]: Mock cluster enabled: original
 *   bootstrap.servers and security.protocol ignored and replaced with 127.0.0.1:40101,127.0.0.1:35689
 *
 * kcat then waits for lines on stdin to produce. We never write to it: the open stdin keeps the
 * cluster alive, and when this process dies the pipe closes, kcat reads EOF and exits on its own,
 * so a crashed test run leaves no orphan. stop() kills it.
 *
 * Mock quirks worth knowing (librdkafka 2.0.x): topics auto-create with 4 partitions on the first
 * metadata request (CreateTopics and InitProducerId — so kafkajs' idempotent producer — do not work);
 * the first join of a consumer group takes ~3 s; after a member leaves, the group waits
 * sessionTimeout - 1 s before the next member can join, so tests that restart a consumer should
 * use a short sessionTimeout.
 */
export interface KafkaMockCluster {
  brokers: string[];
  /** the kcat process serving the mock brokers (SIGSTOP/SIGCONT freeze and thaw the whole cluster) */
  pid: number;
  stop(): Promise<void>;
}

export interface TestKafka {
  brokers: string[];
  /** env: KAFKA_BROKERS (a real cluster); mock: librdkafka's mock cluster via kcat */
  kind: 'env' | 'mock';
  /** the kcat process behind a mock cluster */
  pid?: number;
  stop(): Promise<void>;
}

const KCAT_MISSING =
  "kcat is not installed; the Kafka tests start librdkafka's mock cluster through it. " +
  'Install it with `apt-get install -y kcat` (Debian/Ubuntu), or point the tests at a broker with KAFKA_BROKERS=host:9092';

const BOOTSTRAP = /(?:replaced with|bootstrap\.servers=)\s*(\S+)/;

export async function startKafkaMockCluster(opts: { brokers?: number; timeoutMs?: number; kcat?: string } = {}): Promise<KafkaMockCluster> {
  const count = opts.brokers ?? 1;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // -b is required by kcat but ignored once the mock is enabled; the topic only names the idle producer
  const args = ['-P', '-b', '127.0.0.1:9', '-t', '_mock.keepalive', '-X', `test.mock.num.brokers=${count}`];
  const child = spawn(opts.kcat ?? 'kcat', args, { stdio: ['pipe', 'ignore', 'pipe'] });

  const brokers = await new Promise<string[]>((resolve, reject) => {
    let stderr = '';
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const timer = setTimeout(
      () => fail(new Error(`kcat did not report the mock cluster's bootstrap.servers within ${timeoutMs} ms; stderr: ${stderr.trim()}`)),
      timeoutMs,
    );
    child.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ENOENT' ? new Error(KCAT_MISSING) : new Error(`could not start kcat: ${err.message}`)),
    );
    child.once('exit', (code, signal) =>
      fail(new Error(`kcat exited (code ${code}, signal ${signal}) before the mock cluster was up; stderr: ${stderr.trim()}`)),
    );
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 64_000) stderr += chunk;
      const match = BOOTSTRAP.exec(stderr);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve((match[1] ?? '').split(',').filter(Boolean));
    });
  });

  // keep draining stderr (a full pipe would block librdkafka's log thread) but let node exit without us
  child.stderr.removeAllListeners('data');
  child.stderr.resume();
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  unrefAll(child);

  let stopped: Promise<void> | undefined;
  return {
    brokers,
    pid: child.pid!,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.ref(); // keep node alive until kcat is gone
        // EOF on stdin is kcat's clean exit (SIGTERM is only noticed after its blocking stdin read);
        // the mock keeps nothing worth flushing, so kill it if it lingers
        child.stdin?.end();
        setTimeout(() => child.kill('SIGKILL'), 1000).unref();
      })),
  };
}

/**
 * The Kafka a test should use: `KAFKA_BROKERS` (comma-separated) when set — a real cluster, e.g. CI's
 * or one started by a global setup — otherwise a fresh mock cluster owned by the caller
 * (`KAFKA_MOCK_BROKERS` sets its broker count, default 1).
 */
export async function resolveTestKafka(opts: { brokers?: number } = {}): Promise<TestKafka> {
  const fromEnv = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (fromEnv.length) return { brokers: fromEnv, kind: 'env', stop: () => Promise.resolve() };
  const mock = await startKafkaMockCluster({ brokers: opts.brokers ?? (Number(process.env.KAFKA_MOCK_BROKERS) || undefined) });
  return { brokers: mock.brokers, kind: 'mock', pid: mock.pid, stop: () => mock.stop() };
}

function unrefAll(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdin, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
}
