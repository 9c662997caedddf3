import { forbiddenRangeOf, OutboundGuard, type ResolvedAddress } from '@platform/outbound';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export const v4 = (address: string): ResolvedAddress[] => [{ address, family: 4 }];

/**
 * A local server standing in for identity providers (`handle` answers its requests), reached as
 * `issuer` (http://idp.test:<port>), and the OutboundGuard a sign-in fetches through, resolving
 * names by `dns`. No public address on a test machine: 127.0.0.1 (as idp.test) stands in for one;
 * the rest is the real policy.
 */
export async function startIdpTestServer(handle: RequestListener, dns: Record<string, ResolvedAddress[]>) {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const guard = new OutboundGuard({
    resolver: async (name) => dns[name] ?? Promise.reject(new Error(`ENOTFOUND ${name}`)),
    addressPolicy: (address) => (address === '127.0.0.1' ? null : forbiddenRangeOf(address)),
  });
  return {
    issuer: `http://idp.test:${(server.address() as AddressInfo).port}`,
    guard,
    async close() {
      await guard.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
