import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A free TCP port on loopback for a server a test or launcher is about to start. Drawn at random
 * below the kernel's ephemeral range: a port the kernel hands out for `listen(0)` or for an
 * outgoing connection can be taken again by another process (a parallel suite's probe, a client
 * socket to Kafka) between this check and the server's own listen, and the server then fails
 * with EADDRINUSE while its health check reaches someone else's service.
 */
export async function freePort(): Promise<number> {
  const [low, high] = portRange(process.env.JEST_WORKER_ID);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port) || REFUSED_BY_BROWSERS.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found between ${low} and ${high} on 127.0.0.1`);
}

/**
 * The fetch standard's "bad ports" in the drawable range: undici's fetch and Chromium refuse to
 * connect to them ("bad port", ERR_UNSAFE_PORT), so a service listening there is unreachable.
 */
const REFUSED_BY_BROWSERS = new Set([10_080]);

/**
 * The ports this process draws from: its own slice of the range below the ephemeral ports, by Jest
 * worker (the main process, e.g. the harness's global set-up, takes slice 0). Between the check and
 * the service's own listen lie seconds of start-up; two workers drawing the same port in that window
 * both passed the check, and one service failed with EADDRINUSE (a loaded run, 4 workers).
 */
export function portRange(jestWorkerId: string | undefined): [number, number] {
  const [low, high] = [10_000, ephemeralRangeStart() - 1];
  const size = Math.floor((high - low + 1) / PORT_SLICES);
  const slice = (Number(jestWorkerId) || 0) % PORT_SLICES;
  return [low + slice * size, low + (slice + 1) * size - 1];
}

/** Room for the main process and up to 7 Jest workers, about 2,800 ports each. */
const PORT_SLICES = 8;

/** Ports this process already handed out: its own servers may not have bound them yet. */
const handedOut = new Set<number>();

function ephemeralRangeStart(): number {
  try {
    const start = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(start) && start > 20_000 ? start : 32_768;
  } catch {
    return 32_768;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Fails with a sentence a newcomer can act on when something already listens on `port`:
 * which port, what wanted it, and the variable that moves it.
 */
export function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} (${what}) is already in use on 127.0.0.1: stop what listens there, or set ${variable} to a free port`
            : `cannot listen on 127.0.0.1:${port} (${what}, ${variable}): ${error.message}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}
