/**
 * The peers the authorization-server benchmark measures beside our server, each on its own database
 * of the benchmark's Postgres and on its defaults except where the operation needs a setting
 * (ES256 JWT access tokens for client credentials, a client allowed the grant): Keycloak and Ory
 * Hydra, installed by tools/bench/install-peers.sh into ~/.cache/identity-platform/peers. A peer
 * that is not installed is left out (the benchmark says so).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@platform/local-infra';
import { basic, form, introspector, refreshChains, send, tokenOk } from './requests';

export const PEERS_DIR = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'identity-platform', 'peers');

/** One peer's side of each operation the benchmark compares (absent: the peer has no such operation). */
export interface Peer {
  name: string;
  /** Its server's process (Keycloak's JVM, not the kc.sh that started it). */
  pid: () => number;
  /** Client credentials: an ES256 JWT access token. */
  cc: () => Promise<boolean>;
  /** Introspection of an access token of the peer's own kind (opaque for Hydra, a JWT for Keycloak). */
  introspection: (hint?: string) => () => Promise<boolean>;
  /** Rotating refresh of a user's refresh tokens, one chain per worker. */
  refresh: () => Promise<boolean>;
  /** A password sign-in through the token endpoint (Keycloak only: Hydra keeps no users). */
  signIn?: () => Promise<boolean>;
  stop(): Promise<void>;
}

export interface PeerSetup {
  postgres: { port: number; password: string };
  secret: string;
  /** Workers of the load generator: one refresh chain each. */
  chains: number;
  /** The password of the benchmark user (sign-in and the refresh chains). */
  password: string;
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

function spawnLogged(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // Kept for an error message only: the last 20 kB of output.
  let tail = '';
  const keep = (d: Buffer) => (tail = (tail + String(d)).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  Object.defineProperty(child, 'outputTail', { get: () => tail });
  return child;
}

const outputOf = (child: ChildProcess) => (child as ChildProcess & { outputTail?: string }).outputTail ?? '';

async function waitFor(url: string, child: ChildProcess, seconds: number, what: string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${outputOf(child)}`);
    const ok = await send(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not answer ${url} within ${seconds} s:\n${outputOf(child)}`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 20_000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
      child.kill('SIGTERM');
    });
}

/** Keycloak in production mode (`start --optimized`, built for Postgres by install-peers.sh), realm `bench`. */
export async function startKeycloak(setup: PeerSetup): Promise<Peer | string> {
  const home = join(PEERS_DIR, 'keycloak');
  if (!existsSync(join(home, '.built'))) return 'not installed (bash tools/bench/install-peers.sh)';
  const [port, management] = [await freePort(), await freePort()];
  const adminPassword = 'bench-keycloak-admin-0123456789';
  const child = spawnLogged(
    join(home, 'bin/kc.sh'),
    [
      'start',
      '--optimized',
      '--http-enabled=true',
      '--http-host=127.0.0.1',
      `--http-port=${port}`,
      `--http-management-port=${management}`,
      '--hostname-strict=false',
      // One process, no cluster to discover (jgroups) on a benchmark machine.
      '--cache=local',
      `--db-url=jdbc:postgresql://127.0.0.1:${setup.postgres.port}/keycloak`,
      '--db-username=postgres',
      `--db-password=${setup.postgres.password}`,
      '--log-level=warn',
    ],
    {
      JAVA_HOME: readFileSync(join(home, '.java-home'), 'utf8').trim(),
      KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
      KC_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/realms/master`, child, 240, 'keycloak');
  const admin = await json<{ access_token: string }>(
    await send(`${base}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      body: form({ grant_type: 'password', client_id: 'admin-cli', username: 'admin', password: adminPassword }),
    }),
    'keycloak admin token',
  );
  const manage = (path: string, body: unknown) =>
    send(`${base}/admin/realms${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => json<unknown>(r, `keycloak POST ${path}`));
  await manage('', { realm: 'bench', enabled: true, defaultSignatureAlgorithm: 'ES256' });
  const realm = await json<{ id: string }>(
    await send(`${base}/admin/realms/bench`, { headers: { authorization: `Bearer ${admin.access_token}` } }),
    'keycloak realm',
  );
  await manage('/bench/components', {
    name: 'bench-es256',
    providerId: 'ecdsa-generated',
    providerType: 'org.keycloak.keys.KeyProvider',
    parentId: realm.id,
    config: { priority: ['200'], enabled: ['true'], active: ['true'], ecdsaEllipticCurveKey: ['P-256'] },
  });
  await manage('/bench/clients', {
    clientId: 'bench',
    secret: setup.secret,
    publicClient: false,
    serviceAccountsEnabled: true,
    directAccessGrantsEnabled: true,
    standardFlowEnabled: false,
    // Keycloak introspects a token only for a client in its audience (as an API introspects its own tokens).
    protocolMappers: [
      {
        name: 'bench-audience',
        protocol: 'openid-connect',
        protocolMapper: 'oidc-audience-mapper',
        config: {
          'included.client.audience': 'bench',
          'access.token.claim': 'true',
          'introspection.token.claim': 'true',
        },
      },
    ],
  });
  await manage('/bench/users', {
    username: 'bench',
    email: 'bench@bench.example',
    emailVerified: true,
    firstName: 'Bench',
    lastName: 'User',
    enabled: true,
    credentials: [{ type: 'password', value: setup.password, temporary: false }],
  });
  const tokenUrl = `${base}/realms/bench/protocol/openid-connect/token`;
  const authorization = basic('bench', setup.secret);
  const password = { grant_type: 'password', username: 'bench', password: setup.password, scope: 'openid' };
  const chains: string[] = [];
  let userAccessToken = '';
  for (let i = 0; i < setup.chains; i++) {
    const res = await send(tokenUrl, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: form(password),
    });
    const tokens = await json<{ refresh_token: string; access_token: string }>(res, 'keycloak password grant');
    chains.push(tokens.refresh_token);
    userAccessToken = tokens.access_token;
  }
  const ccToken = await json<{ access_token: string }>(
    await send(tokenUrl, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'client_credentials' }),
    }),
    'keycloak client credentials',
  );
  assertAlg(ccToken.access_token, 'ES256', 'keycloak');
  return {
    name: 'keycloak',
    pid: () => descendantNamed(child.pid!, 'java') ?? child.pid!,
    cc: () => tokenOk(tokenUrl, authorization, { grant_type: 'client_credentials' }),
    // A user's access token, the kind a gateway introspects (with a session behind it).
    introspection: introspector(`${tokenUrl}/introspect`, { authorization }, userAccessToken),
    refresh: refreshChains(tokenUrl, authorization, chains),
    signIn: () => tokenOk(tokenUrl, authorization, password),
    stop: stopper(child),
  };
}

/** The first process named `name` below `pid` (kc.sh runs Keycloak's JVM as its child). */
function descendantNamed(pid: number, name: string): number | undefined {
  const children = (() => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  })();
  for (const child of children) {
    const comm = (() => {
      try {
        return readFileSync(`/proc/${child}/comm`, 'utf8').trim();
      } catch {
        return '';
      }
    })();
    if (comm === name) return child;
    const deeper = descendantNamed(child, name);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
}

function assertAlg(jwt: string, alg: string, who: string): void {
  const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { alg?: string };
  if (header.alg !== alg) throw new Error(`${who} signed its access token with ${header.alg}, not ${alg}`);
}

/** A minimal cookie jar for Hydra's login/consent redirects (its CSRF cookies). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Ory Hydra (`serve all`, plain HTTP on loopback) with a JWT client and an opaque one; users signed in headlessly. */
export async function startHydra(setup: PeerSetup): Promise<Peer | string> {
  const binary = join(PEERS_DIR, 'hydra');
  if (!existsSync(binary)) return 'not installed (bash tools/bench/install-peers.sh)';
  const [publicPort, adminPort] = [await freePort(), await freePort()];
  const publicUrl = `http://127.0.0.1:${publicPort}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const env = {
    // A connection per load-generator worker (Hydra's default pool is 2 per core).
    DSN: `postgres://postgres:${encodeURIComponent(setup.postgres.password)}@127.0.0.1:${setup.postgres.port}/hydra?sslmode=disable&max_conns=32&max_idle_conns=32`,
    SECRETS_SYSTEM: 'bench-hydra-system-secret-0123456789abcdef',
    URLS_SELF_ISSUER: publicUrl,
    // Never opened: the benchmark accepts login and consent through the admin API.
    URLS_LOGIN: 'http://127.0.0.1:9/login',
    URLS_CONSENT: 'http://127.0.0.1:9/consent',
    SERVE_PUBLIC_HOST: '127.0.0.1',
    SERVE_PUBLIC_PORT: String(publicPort),
    SERVE_ADMIN_HOST: '127.0.0.1',
    SERVE_ADMIN_PORT: String(adminPort),
    LOG_LEVEL: 'error',
  };
  const migrated = await new Promise<number | null>((resolve) =>
    spawnLogged(binary, ['migrate', 'sql', 'up', '-e', '--yes'], env).once('exit', resolve),
  );
  if (migrated !== 0) throw new Error(`hydra migrate exited with ${migrated}`);
  // --dev: plain HTTP on loopback (the issuer is not https); nothing else of dev mode is used.
  const child = spawnLogged(binary, ['serve', 'all', '--dev'], env);
  await waitFor(`${adminUrl}/health/ready`, child, 120, 'hydra');
  const register = (client: Record<string, unknown>) =>
    send(`${adminUrl}/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_secret: setup.secret,
        token_endpoint_auth_method: 'client_secret_basic',
        ...client,
      }),
    }).then((r) => json<unknown>(r, 'hydra client'));
  const redirectUri = 'http://127.0.0.1:9/callback';
  await register({
    client_id: 'bench-jwt',
    grant_types: ['client_credentials'],
    scope: 'api.read',
    access_token_strategy: 'jwt',
  });
  await register({
    client_id: 'bench',
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [redirectUri],
    scope: 'openid offline_access o.read',
    access_token_strategy: 'opaque',
  });
  // Hydra signs JWT access tokens with its hydra.jwt.access-token key set: make that an ES256 key.
  await send(`${adminUrl}/admin/keys/hydra.jwt.access-token`, { method: 'DELETE' });
  await json(
    await send(`${adminUrl}/admin/keys/hydra.jwt.access-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ alg: 'ES256', use: 'sig', kid: 'bench-es256' }),
    }),
    'hydra ES256 key',
  );
  const tokenUrl = `${publicUrl}/oauth2/token`;
  const jwtClient = basic('bench-jwt', setup.secret);
  const authorization = basic('bench', setup.secret);
  const cc = { grant_type: 'client_credentials', scope: 'api.read' };
  const jwt = await json<{ access_token: string }>(
    await send(tokenUrl, {
      method: 'POST',
      headers: { authorization: jwtClient, 'content-type': 'application/x-www-form-urlencoded' },
      body: form(cc),
    }),
    'hydra client credentials',
  );
  assertAlg(jwt.access_token, 'ES256', 'hydra');
  const opaque = await json<{ access_token: string }>(
    await send(tokenUrl, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'client_credentials', scope: 'o.read' }),
    }),
    'hydra opaque token',
  );
  const chains: string[] = [];
  for (let i = 0; i < setup.chains; i++) chains.push(await hydraRefreshToken(publicUrl, adminUrl, redirectUri, setup));
  return {
    name: 'hydra',
    pid: () => child.pid!,
    cc: () => tokenOk(tokenUrl, jwtClient, cc),
    introspection: introspector(`${adminUrl}/admin/oauth2/introspect`, {}, opaque.access_token),
    refresh: refreshChains(tokenUrl, authorization, chains),
    stop: stopper(child),
  };
}

/** Authorization code flow with login and consent accepted through the admin API, to a refresh token. */
async function hydraRefreshToken(
  publicUrl: string,
  adminUrl: string,
  redirectUri: string,
  setup: PeerSetup,
): Promise<string> {
  const jar = new CookieJar();
  const follow = async (url: string): Promise<URL> => {
    const res = await send(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res);
    const location = res.headers.get('location');
    if (!location) throw new Error(`hydra ${url}: ${res.status} without a redirect: ${await res.text()}`);
    return new URL(location, url);
  };
  const accept = async (kind: 'login' | 'consent', challenge: string, body: unknown): Promise<string> =>
    (
      await json<{ redirect_to: string }>(
        await send(`${adminUrl}/admin/oauth2/auth/requests/${kind}/accept?${kind}_challenge=${challenge}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
        `hydra ${kind} accept`,
      )
    ).redirect_to;
  const authorize = new URL(`${publicUrl}/oauth2/auth`);
  authorize.search = form({
    client_id: 'bench',
    response_type: 'code',
    scope: 'openid offline_access',
    redirect_uri: redirectUri,
    state: 'bench-state-0123456789',
  }).toString();
  const login = await follow(authorize.href);
  const afterLogin = await follow(
    await accept('login', login.searchParams.get('login_challenge')!, { subject: 'bench-user' }),
  );
  const afterConsent = await follow(
    await accept('consent', afterLogin.searchParams.get('consent_challenge')!, {
      grant_scope: ['openid', 'offline_access'],
    }),
  );
  const code = afterConsent.searchParams.get('code');
  if (!code) throw new Error(`hydra gave no code: ${afterConsent.href}`);
  const tokens = await json<{ refresh_token: string }>(
    await send(`${publicUrl}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic('bench', setup.secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }),
    }),
    'hydra code exchange',
  );
  return tokens.refresh_token;
}
