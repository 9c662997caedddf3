import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A load balancer for tests: every HTTP request (not every connection, so a keep-alive client is
 * spread too) goes to the next upstream in turn, the way a Kubernetes Service spreads requests over
 * replicas at worst. Counts the requests and failures per upstream so a test can show that each
 * replica took part.
 */
export class RoundRobinProxy {
  private next = 0;
  /** Requests forwarded to each upstream, by index. */
  readonly served: number[];
  /** Requests that could not reach their upstream (connection refused, reset): a 502 to the client. */
  readonly failed: number[];

  private constructor(
    private readonly upstreams: URL[],
    private readonly server: Server,
  ) {
    this.served = upstreams.map(() => 0);
    this.failed = upstreams.map(() => 0);
  }

  static async start(upstreams: string[]): Promise<RoundRobinProxy> {
    if (upstreams.length === 0) throw new Error('RoundRobinProxy needs at least one upstream');
    const server = createServer();
    const proxy = new RoundRobinProxy(
      upstreams.map((u) => new URL(u)),
      server,
    );
    server.on('request', (req, res) => proxy.forward(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const index = this.next++ % this.upstreams.length;
    const upstream = this.upstreams[index]!;
    this.served[index]!++;
    const outgoing = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        // The Host the client used stays, as behind a real proxy: issuers and redirects are built from it.
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    outgoing.on('error', () => {
      this.failed[index]!++;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('upstream unavailable');
    });
    req.pipe(outgoing);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
