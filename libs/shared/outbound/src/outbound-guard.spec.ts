import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { forbiddenRangeOf } from './address-policy';
import { OutboundResponseTooLargeError, OutboundTargetForbiddenError } from './outbound-errors';
import { OutboundGuard, outboundGuard, type ResolvedAddress } from './outbound-guard';

/** A local HTTP server that counts the TCP connections it receives. */
async function listen(host: string, handler: (path: string, res: import('node:http').ServerResponse) => void) {
  const server: Server = createServer((req, res) => handler(req.url ?? '/', res));
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });

/** DNS as a table; a list of answers per name is served in turn (the last one repeats): rebinding. */
function fakeDns(table: Record<string, ResolvedAddress[][]>) {
  const asked: string[] = [];
  const resolver = async (hostname: string) => {
    asked.push(hostname);
    const answers = table[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.length > 1 ? answers.shift()! : answers[0]!;
  };
  return { resolver, asked };
}

/**
 * No public address exists on a test machine, so these tests let 127.0.0.1 stand in for one
 * (everything else keeps the real policy: 127.0.0.2, the "internal" address, stays refused).
 */
const publicStandIn = (address: string) => (address === '127.0.0.1' ? null : forbiddenRangeOf(address));

const refusal = (reason: string) =>
  expect.objectContaining({ name: 'OutboundTargetForbiddenError', code: 'outbound_target_forbidden', reason });

describe('OutboundGuard', () => {
  let target: Awaited<ReturnType<typeof listen>>;
  let internal: Awaited<ReturnType<typeof listen>>;
  const guards: OutboundGuard[] = [];
  const guard = (options: ConstructorParameters<typeof OutboundGuard>[0]) => {
    const created = new OutboundGuard(options);
    guards.push(created);
    return created;
  };

  beforeAll(async () => {
    target = await listen('127.0.0.1', (path, res) => {
      if (path === '/to-internal-ip')
        return res.writeHead(302, { location: `http://127.0.0.2:${internal.port}/` }).end();
      if (path === '/to-internal-name') {
        return res.writeHead(302, { location: `http://internal.test:${internal.port}/` }).end();
      }
      if (path === '/to-public') return res.writeHead(302, { location: `http://public.test:${target.port}/` }).end();
      if (path === '/big') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 4096 });
        return res.end('x'.repeat(4096));
      }
      if (path === '/big-chunked') {
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < 8; i++) res.write('y'.repeat(512));
        return res.end();
      }
      if (path === '/hang') return; // never answers
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    internal = await listen('127.0.0.2', (_path, res) => res.end('internal secrets'));
  });

  afterAll(async () => {
    await Promise.all(guards.map((g) => g.close()));
    await Promise.all([target.close(), internal.close()]);
  });

  describe('refuses before connecting', () => {
    it.each([
      ['loopback IPv4', () => `http://127.0.0.1:${target.port}/`, 'loopback'],
      ['loopback IPv6', () => `http://[::1]:${target.port}/`, 'loopback'],
      ['IPv4-mapped loopback', () => `http://[::ffff:127.0.0.1]:${target.port}/`, 'loopback'],
      ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', 'linkLocal'],
      ['a decimal-integer IP', () => `http://2130706433:${target.port}/`, 'loopback'],
    ])('%s', async (_what, url, reason) => {
      const before = target.connections();
      await expect(guard({}).fetch(url())).rejects.toEqual(refusal(reason));
      expect(target.connections()).toBe(before);
    });

    it('a host name resolving to a private or loopback address (injected resolver)', async () => {
      const dns = fakeDns({ 'intranet.test': [[v4('10.1.2.3')]], 'sneaky.test': [[v4('127.0.0.1'), v4('10.0.0.1')]] });
      const guarded = guard({ resolver: dns.resolver });
      const before = target.connections();
      await expect(guarded.fetch('https://intranet.test/')).rejects.toEqual(refusal('private'));
      await expect(guarded.fetch(`http://sneaky.test:${target.port}/`)).rejects.toBeInstanceOf(
        OutboundTargetForbiddenError,
      );
      expect(target.connections()).toBe(before);
      expect(dns.asked).toEqual(['intranet.test', 'sneaky.test']);
    });

    it('a non-http(s) scheme', async () => {
      for (const url of ['file:///etc/passwd', 'ftp://example.com/', 'gopher://example.com/', 'data:text/plain,x']) {
        await expect(guard({}).fetch(url)).rejects.toEqual(refusal('scheme'));
      }
    });

    it('also when the caller brings its own dispatcher (oidc-provider passes one)', async () => {
      const before = target.connections();
      const own = new Agent();
      await expect(guard({}).fetch(`http://127.0.0.1:${target.port}/`, { dispatcher: own })).rejects.toEqual(
        refusal('loopback'),
      );
      await own.close();
      expect(target.connections()).toBe(before);
    });
  });

  it('connects to an allowed address, handing only the allowed answers of a mixed resolution to the socket', async () => {
    const dns = fakeDns({ 'mixed.test': [[v4('10.0.0.9'), v4('127.0.0.1')]] });
    const res = await guard({ resolver: dns.resolver, addressPolicy: publicStandIn }).fetch(
      `http://mixed.test:${target.port}/`,
    );
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toEqual({ ok: true });
  });

  describe('redirects: every hop is checked', () => {
    const dns = () => fakeDns({ 'public.test': [[v4('127.0.0.1')]], 'internal.test': [[v4('127.0.0.2')]] });

    it.each(['/to-internal-ip', '/to-internal-name'])('a public target redirecting %s is refused', async (path) => {
      const guarded = guard({ resolver: dns().resolver, addressPolicy: publicStandIn });
      const before = internal.connections();
      await expect(guarded.fetch(`http://public.test:${target.port}${path}`)).rejects.toEqual(refusal('loopback'));
      expect(internal.connections()).toBe(before);
    });

    it('a redirect to another allowed target is followed', async () => {
      const guarded = guard({ resolver: dns().resolver, addressPolicy: publicStandIn });
      const res = await guarded.fetch(`http://public.test:${target.port}/to-public`);
      expect(res).toMatchObject({ status: 200, redirected: true, url: `http://public.test:${target.port}/` });
    });
  });

  it('DNS rebinding: the registration check saw a public answer, the connection gets the private one and is refused', async () => {
    const dns = fakeDns({ 'rebind.test': [[v4('127.0.0.1')], [v4('127.0.0.2')]] });
    const guarded = guard({ resolver: dns.resolver, addressPolicy: publicStandIn });
    await expect(guarded.assertAllowedUrl(`http://rebind.test:${internal.port}/`)).resolves.toBeUndefined();
    const before = internal.connections();
    await expect(guarded.fetch(`http://rebind.test:${internal.port}/`)).rejects.toEqual(refusal('loopback'));
    expect(internal.connections()).toBe(before);
    expect(dns.asked).toEqual(['rebind.test', 'rebind.test']);
  });

  it('with allowPrivateNetwork, private targets are reachable (schemes are still checked)', async () => {
    const open = guard({ allowPrivateNetwork: true });
    const res = await open.fetch(`http://127.0.0.1:${target.port}/`);
    await expect(res.json()).resolves.toEqual({ ok: true });
    await expect(open.fetch('file:///etc/passwd')).rejects.toEqual(refusal('scheme'));
    await expect(open.assertAllowedUrl(`http://127.0.0.1:${target.port}/`)).resolves.toBeUndefined();
  });

  describe('response size cap', () => {
    const capped = () => guard({ allowPrivateNetwork: true, maxResponseBytes: 1024 });

    it('by Content-Length, before reading', async () => {
      await expect(capped().fetch(`http://127.0.0.1:${target.port}/big`)).rejects.toBeInstanceOf(
        OutboundResponseTooLargeError,
      );
    });

    it('while streaming a body without Content-Length', async () => {
      const res = await capped().fetch(`http://127.0.0.1:${target.port}/big-chunked`);
      await expect(res.text()).rejects.toMatchObject({ code: 'outbound_response_too_large' });
    });

    it('small bodies pass unchanged', async () => {
      const res = await capped().fetch(`http://127.0.0.1:${target.port}/`);
      expect(res.headers.get('content-type')).toBe('application/json');
      await expect(res.json()).resolves.toEqual({ ok: true });
    });
  });

  it('gives up on a target that never answers', async () => {
    const slow = guard({ allowPrivateNetwork: true, timeoutMs: 300 });
    await expect(slow.fetch(`http://127.0.0.1:${target.port}/hang`)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  describe('assertAllowedUrl (registration time)', () => {
    const dns = fakeDns({
      'idp.public.test': [[v4('93.184.215.14')]],
      'localhost.test': [[v4('127.0.0.1'), { address: '::1', family: 6 }]],
      'half.test': [[v4('93.184.215.14'), v4('192.168.0.10')]],
    });
    const checker = () => guard({ resolver: dns.resolver });

    it('accepts a public host and a name that does not resolve (checked again at connect time)', async () => {
      await expect(checker().assertAllowedUrl('https://idp.public.test/realms/x')).resolves.toBeUndefined();
      await expect(checker().assertAllowedUrl('https://nowhere.test/')).resolves.toBeUndefined();
    });

    it.each([
      ['https://127.0.0.1:8443/', 'loopback'],
      ['http://169.254.169.254/', 'linkLocal'],
      ['https://[fd00::1]/', 'uniqueLocal'],
      ['https://localhost.test/', 'loopback'],
      ['https://half.test/', 'private'],
      ['ftp://idp.public.test/', 'scheme'],
    ])('refuses %s (%s)', async (url, reason) => {
      await expect(checker().assertAllowedUrl(url)).rejects.toEqual(refusal(reason));
    });
  });

  it('outboundGuard() is one guard per setting per process', () => {
    expect(outboundGuard(false)).toBe(outboundGuard(false));
    expect(outboundGuard(true)).not.toBe(outboundGuard(false));
  });
});
