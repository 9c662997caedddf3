import ipaddr from 'ipaddr.js';

/** `::/96`: deprecated IPv4-compatible IPv6 (RFC 4291 §2.5.5.1); never a legitimate destination. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/**
 * Why an IP address may not be the target of a server-side request, or null when it is a
 * globally routable unicast address. Allow-list semantics: anything ipaddr.js does not classify
 * as plain `unicast` is refused — loopback, RFC 1918 and fc00::/7, link-local (169.254/16 with
 * the cloud metadata address, fe80::/10), CGNAT 100.64/10, 0.0.0.0/8, multicast, broadcast,
 * documentation, benchmarking, reserved and the other IANA special-use blocks. IPv4-mapped
 * IPv6 (`::ffff:a.b.c.d`) is judged as the IPv4 address it carries; the other IPv6 forms that
 * embed or translate IPv4 (IPv4-compatible, NAT64, 6to4, Teredo) are refused outright.
 * Unparseable input is refused too (fail closed).
 */
export function forbiddenRangeOf(address: string): string | null {
  const literal = canonical(address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address);
  if (literal === null || !ipaddr.isValid(literal)) return 'invalid';
  let ip = ipaddr.parse(literal);
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    else if (v6.match(IPV4_COMPATIBLE) && v6.range() === 'unicast') return 'ipv4Compatible';
  }
  const range = ip.range();
  return range === 'unicast' ? null : range;
}

/**
 * IPv6 in its canonical (RFC 5952, WHATWG URL) text, without a zone id: ipaddr.js would read the
 * dotted `::a.b.c.d` as IPv4-mapped, while it is the IPv4-compatible `::xxxx:xxxx`.
 */
function canonical(address: string): string | null {
  if (!address.includes(':')) return address;
  try {
    return new URL(`http://[${address.split('%')[0]}]`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}
