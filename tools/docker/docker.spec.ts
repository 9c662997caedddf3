import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { serviceConfigKeys, type ServiceName } from '../deploy/config-keys';

const root = join(__dirname, '../..');
const services: ServiceName[] = ['identity-backend', 'authorization-server'];
const ports: Record<ServiceName, number> = { 'identity-backend': 3001, 'authorization-server': 3000 };
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Instructions of a Dockerfile, continuation lines joined, comments dropped. */
function instructions(dockerfile: string): { op: string; args: string }[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

describe('Dockerfiles (docker/*.Dockerfile)', () => {
  it.each(services)(
    '%s: pinned base, build steps are repository scripts, non-root runtime with a health check',
    (service) => {
      const steps = instructions(read(`docker/${service}.Dockerfile`));
      const base = steps.find((s) => s.op === 'ARG' && s.args.startsWith('NODE_IMAGE='))!.args.split('=')[1];
      // An exact Node release (the one the workspace pins), not a floating tag.
      const workspaceNode = JSON.parse(read('package.json')).devDependencies.node;
      expect(base).toBe(`node:${workspaceNode}-bookworm-slim`);
      expect(steps.filter((s) => s.op === 'FROM').map((s) => s.args)).toEqual([
        '${NODE_IMAGE} AS build',
        '${NODE_IMAGE} AS runtime',
      ]);
      // Every RUN is `npm ci` or a script of the repository; the artifact is built by the same
      // script (and arguments) that tools/build/production.int.ts runs and starts.
      const runs = steps.filter((s) => s.op === 'RUN').map((s) => s.args);
      expect(runs).toEqual([
        'npm ci --no-audit --no-fund --loglevel=error',
        `bash tools/build/production.sh ${service} /out --copy`,
      ]);
      for (const run of runs) {
        const script = run.match(/^bash (\S+)/)?.[1];
        if (script) expect(existsSync(join(root, script))).toBe(true);
      }
      const runtime = steps.slice(steps.findIndex((s) => s.args === '${NODE_IMAGE} AS runtime'));
      const user = runtime.find((s) => s.op === 'USER')!.args;
      expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/); // numeric and not root: runAsNonRoot can verify it
      expect(runtime.find((s) => s.op === 'COPY')!.args).toBe('--from=build --chown=root:root /out /app');
      expect(runtime.find((s) => s.op === 'ENV')!.args).toContain(`PORT=${ports[service]}`);
      expect(runtime.find((s) => s.op === 'EXPOSE')!.args).toBe(String(ports[service]));
      expect(runtime.find((s) => s.op === 'HEALTHCHECK')!.args).toContain('CMD ["node", "/app/healthcheck.js"]');
      expect(runtime.find((s) => s.op === 'ENTRYPOINT')!.args).toBe('["node", "/app/main.js"]');
      expect(runtime.find((s) => s.op === 'CMD')!.args).toBe('["serve"]');
    },
  );

  it('keeps the build context to sources', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.data', '.git']));
  });
});

describe('docker-compose.yml', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- compose document, asserted field by field
  const compose: any = parse(read('docker/docker-compose.yml'), { merge: true });
  const envExample = read('docker/.env.example');

  it.each(services)('%s runs after its one-shot migration, hardened, with only known settings', (service) => {
    const app = compose.services[service];
    const migrate = compose.services[`${service}-migrate`];
    expect(migrate.command).toEqual(['migrate']);
    expect(migrate.image).toBe(app.image);
    expect(migrate.restart).toBe('no');
    expect(app.depends_on[`${service}-migrate`]).toEqual({ condition: 'service_completed_successfully' });
    for (const container of [app, migrate]) {
      expect(container).toMatchObject({ read_only: true, cap_drop: ['ALL'], tmpfs: ['/tmp'] });
      expect(container.build.dockerfile).toBe(`docker/${service}.Dockerfile`);
      const known = serviceConfigKeys(service);
      expect(Object.keys(container.environment).filter((key) => !known.has(key))).toEqual([]);
      expect(container.environment.NODE_ENV).toBe('production');
    }
  });

  it('pins the Postgres and Kafka images, and Kafka runs KRaft', () => {
    expect(compose.services.postgres.image).toMatch(/^postgres:\d+\.\d+/);
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    expect(compose.services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
  });

  it('.env.example defines every required variable, with placeholders instead of secrets', () => {
    const required = new Set([...read('docker/docker-compose.yml').matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]!));
    const defined = new Map([...envExample.matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!] as const));
    for (const name of required) expect(defined.has(name)).toBe(true);
    for (const name of [...defined.keys()].filter((n) => /PASSWORD|SECRET|KEYS/.test(n))) {
      expect(defined.get(name)).toBe('change-me');
    }
  });
});
