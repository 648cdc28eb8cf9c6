import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

// Where a URL input may not point unless the operator allows it: this host, its private
// networks, link-local (cloud metadata at 169.254.169.254) and other non-public ranges.
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

/** True for an address a URL input may not reach by default (IPv4-mapped IPv6 checked as IPv4). */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class RefusedAddressError extends Error {}

/** Why a URL may not be fetched on its face (scheme, credentials), or null. */
export function urlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be http or https';
  if (url.username || url.password) return 'must not carry credentials';
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A dns.lookup for http.request that refuses non-public addresses after resolution, so the address
 * checked is the address connected to (a name that resolves to 127.0.0.1 is refused, and a second
 * resolution cannot swap in another).
 */
export function checkedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const refused = allowPrivate ? undefined : addresses.find((a) => isNonPublicAddress(a.address));
      if (refused)
        return callback(
          new RefusedAddressError(
            `${hostname} resolves to ${refused.address}, a private, loopback or link-local address`,
          ),
          [],
        );
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** Resolves the URL's host now and refuses it as the fetch would: the API's early answer (422). */
export async function checkUrlAddress(text: string, allowPrivate: boolean): Promise<string | null> {
  const problem = urlProblem(text);
  if (problem) return problem;
  const host = new URL(text).hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    checkedLookup(allowPrivate)(host, { all: true }, (err) =>
      resolve(err ? (err instanceof RefusedAddressError ? err.message : `cannot be resolved: ${err.message}`) : null),
    );
  });
}
