import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as unknown as Record<string, { stop(): Promise<unknown>; dataDir?: string } | undefined>;
  const embedded = g.__AFTERSALES_EMBEDDED_PG__;
  if (embedded) {
    await embedded.stop();
    if (embedded.dataDir) rmSync(embedded.dataDir, { recursive: true, force: true });
  }
  await g.__AFTERSALES_PG_CONTAINER__?.stop();
}
