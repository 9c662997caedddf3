import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { serviceConfigKeys, type ServiceName } from '../deploy/config-keys';

const run = promisify(execFile);
const root = join(__dirname, '../..');
const validate = join(root, 'tools/k8s/validate.sh');
const services: ServiceName[] = ['identity-backend', 'authorization-server'];
const ports: Record<ServiceName, number> = { 'identity-backend': 3001, 'authorization-server': 3000 };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes objects, asserted field by field
type K8sObject = any;

/**
 * The Kustomize base and overlays build, pass strict schema validation against the
 * Kubernetes API (tools/k8s/validate.sh, also what CI runs), and keep the properties
 * operators rely on: probes, hardening, no committed secrets, /internal never public,
 * network access limited to the flows the platform needs.
 */
describe('Kubernetes manifests (k8s/)', () => {
  const work = mkdtempSync(join(tmpdir(), 'idp-k8s-'));
  const rendered: Record<string, K8sObject[]> = {};

  beforeAll(async () => {
    const { stdout } = await run('bash', [validate, '--out', join(work, 'rendered')], { cwd: root });
    process.stderr.write(stdout);
    for (const overlay of ['base', 'dev', 'prod']) {
      const text = readFileSync(join(work, 'rendered', `${overlay}.yaml`), 'utf8');
      rendered[overlay] = parseAllDocuments(text).map((doc) => doc.toJS());
    }
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const find = (overlay: string, kind: string, name?: string) =>
    rendered[overlay]!.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

  it.each(['base', 'dev', 'prod'])('%s: hardened Deployments with probes, resources and topology spread', (overlay) => {
    for (const service of services) {
      const [deployment] = find(overlay, 'Deployment', service);
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.topologySpreadConstraints.length).toBeGreaterThan(0);
      expect(pod.initContainers.map((c: K8sObject) => c.args)).toEqual([['migrate']]);
      for (const container of [...pod.initContainers, ...pod.containers]) {
        expect(container.image).toMatch(/^[^:]+:(?!latest$)[\w.-]+(@sha256:[a-f0-9]{64})?$/);
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources.requests).toEqual(expect.objectContaining({ cpu: expect.anything() }));
        expect(container.resources.limits).toEqual(expect.objectContaining({ memory: expect.anything() }));
      }
      const [app] = pod.containers;
      expect(app.ports).toEqual([{ name: 'http', containerPort: ports[service] }]);
      expect(app.livenessProbe.httpGet.path).toBe('/health/live');
      expect(app.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(app.startupProbe.httpGet.path).toBe('/health/live');
      // The drain must fit in the grace period: preStop sleep + SHUTDOWN_GRACE_MS < terminationGracePeriodSeconds.
      const [config] = find(overlay, 'ConfigMap').filter((c) => c.metadata.name.startsWith(`${service}-config`));
      expect(5 + Number(config.data.SHUTDOWN_GRACE_MS) / 1000).toBeLessThan(pod.terminationGracePeriodSeconds);
      expect(config.data.HOST).toBe('0.0.0.0');
      expect(config.data.NODE_ENV).toBe('production');
      // Every setting is one the service reads (no typos, no stale names).
      const known = serviceConfigKeys(service);
      expect(Object.keys(config.data).filter((key) => !known.has(key))).toEqual([]);
      const envNames = [...pod.initContainers, ...pod.containers].flatMap((c: K8sObject) =>
        c.env.map((e: K8sObject) => e.name),
      );
      expect(envNames.filter((key: string) => !known.has(key))).toEqual([]);
      expect(app.envFrom).toEqual([{ configMapRef: { name: config.metadata.name } }]);

      expect(find(overlay, 'Service', service)[0].spec.ports[0]).toMatchObject({
        port: ports[service],
        targetPort: 'http',
      });
      const [hpa] = find(overlay, 'HorizontalPodAutoscaler', service);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: service });
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
      const [pdb] = find(overlay, 'PodDisruptionBudget', service);
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    }
  });

  it.each(['base', 'dev', 'prod'])('%s: secrets are only referenced, never committed', (overlay) => {
    expect(find(overlay, 'Secret')).toEqual([]);
    const referenced = new Set<string>();
    JSON.stringify(rendered[overlay], (key, value) => {
      if (key === 'secretKeyRef' || key === 'secretRef') referenced.add(value.name);
      return value;
    });
    expect([...referenced].sort()).toEqual(
      overlay === 'dev'
        ? ['authorization-server-secrets', 'identity-backend-secrets', 'postgres-credentials']
        : ['authorization-server-secrets', 'identity-backend-secrets'],
    );
  });

  it.each(['base', 'dev', 'prod'])('%s: the Ingress routes public paths only, never /internal', (overlay) => {
    const [ingress] = find(overlay, 'Ingress');
    const routes = ingress.spec.rules.flatMap((rule: K8sObject) =>
      rule.http.paths.map((p: K8sObject) => ({ host: rule.host, path: p.path, service: p.backend.service.name })),
    );
    for (const route of routes) expect(route.path).not.toMatch(/^\/(internal|metrics|health)/);
    expect(routes.filter((r: K8sObject) => r.service === 'identity-backend').map((r: K8sObject) => r.path)).toEqual([
      '/api/v1',
      '/api/docs',
    ]);
    const authzPaths = routes
      .filter((r: K8sObject) => r.service === 'authorization-server')
      .map((r: K8sObject) => r.path);
    expect(authzPaths).toEqual(
      expect.arrayContaining(['/.well-known', '/authorize', '/token', '/jwks', '/tokens', '/interaction', '/api/v1']),
    );
  });

  it.each(['base', 'dev', 'prod'])('%s: network policies allow only the flows the platform needs', (overlay) => {
    const policy = (name: string) => find(overlay, 'NetworkPolicy', name)[0];
    expect(policy('default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    // Among the namespace's pods, only the authorization server may call the identity backend.
    const identityPeers = policy('identity-backend').spec.ingress.flatMap((rule: K8sObject) => rule.from);
    expect(identityPeers.filter((peer: K8sObject) => peer.podSelector)).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'authorization-server' } } },
    ]);
    for (const rule of policy('identity-backend').spec.ingress)
      expect(rule.ports).toEqual([{ protocol: 'TCP', port: 3001 }]);
    // Postgres and Kafka accept only pods labelled as their clients, which only the two services carry.
    const clientsOf = (name: string) => policy(name).spec.ingress[0].from;
    expect(clientsOf('postgres-clients-only')).toEqual([
      { podSelector: { matchLabels: { 'identity-platform/database-client': 'true' } } },
    ]);
    expect(clientsOf('kafka-clients-only')).toEqual([
      { podSelector: { matchLabels: { 'identity-platform/kafka-client': 'true' } } },
    ]);
    const labelled = rendered[overlay]!.filter(
      (o) => o.spec?.template?.metadata?.labels?.['identity-platform/database-client'] === 'true',
    );
    expect(labelled.map((o) => o.metadata.name).sort()).toEqual(['authorization-server', 'identity-backend']);
  });

  it('prod runs three replicas per service, never two on one node', () => {
    for (const service of services) {
      const [deployment] = find('prod', 'Deployment', service);
      expect(deployment.spec.replicas).toBe(3);
      expect(deployment.spec.template.spec.topologySpreadConstraints[1]).toMatchObject({
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule',
      });
      expect(find('prod', 'HorizontalPodAutoscaler', service)[0].spec.minReplicas).toBe(3);
    }
    expect(find('prod', 'Namespace')[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('fails on a manifest that the Kubernetes API would reject, and on a broken kustomization', async () => {
    const broken = join(work, 'broken');
    cpSync(join(root, 'k8s'), broken, { recursive: true });
    const deployment = join(broken, 'base/identity-backend/deployment.yaml');
    writeFileSync(
      deployment,
      readFileSync(deployment, 'utf8').replace(
        'containerPort: 3001',
        "containerPort: '3001'\n              hostIP: [x]",
      ),
    );
    await expect(run('bash', [validate, '--k8s-dir', broken])).rejects.toMatchObject({
      stderr: expect.stringMatching(/containerPort.*got string, want integer[\s\S]*FAIL/),
    });

    cpSync(join(root, 'k8s/base/identity-backend/deployment.yaml'), deployment);
    const kustomization = join(broken, 'overlays/prod/kustomization.yaml');
    writeFileSync(kustomization, readFileSync(kustomization, 'utf8').replace('- namespace.yaml', '- missing.yaml'));
    await expect(run('bash', [validate, '--k8s-dir', broken])).rejects.toMatchObject({
      stderr: expect.stringContaining('FAIL prod: kustomize build'),
    });
  });
});
