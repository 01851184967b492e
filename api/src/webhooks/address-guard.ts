import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard of webhook URLs: a URL an admin types must not make the API call into its own
 * network (a database, a metadata service, an internal admin page). Every address the host
 * resolves to is checked, and the caller connects to the address checked here (pinned), never
 * resolving the name again: a name that answers a public address to the check and a private one
 * to the connection (DNS rebinding) gets nowhere.
 */

export interface AddressPolicy {
  /**
   * Host names allowed to resolve to private or loopback addresses: outside production only, a
   * receiver on this machine for development and tests (config WEBHOOK_ALLOWED_PRIVATE_HOSTS).
   */
  allowedPrivateHosts: readonly string[];
}

export interface PinnedTarget {
  url: URL;
  /** The address the request must connect to (checked), and its family. */
  address: string;
  family: 4 | 6;
}

/** Why a URL is refused: a sentence for the admin. */
export class UnsafeWebhookUrl extends Error {}

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo (tunnels to an embedded IPv4 address)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds an IPv4 address)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
  ['fd00:ec2::254', 128], // AWS metadata over IPv6 (inside fc00::/7 too; named for the reader)
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address an IPv6 one embeds (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96), if any. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

/** Whether an address is one a webhook must never reach (private, loopback, link-local, CGNAT, unique-local, metadata…). */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;
const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Checks a webhook URL and resolves the address to connect to. HTTPS only, no credentials in the
 * URL, a host name or address that resolves only to public addresses (unless the policy allows
 * that host name by name). Throws UnsafeWebhookUrl with the reason.
 */
export async function pinWebhookTarget(raw: string, policy: AddressPolicy, resolve: Resolver = systemResolver): Promise<PinnedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeWebhookUrl('This is not a URL: give the full address, starting with https://.');
  }
  if (url.protocol !== 'https:') throw new UnsafeWebhookUrl('The URL must start with https:// (notifications are only sent over HTTPS).');
  if (url.username || url.password) throw new UnsafeWebhookUrl('The URL must not carry a user name or password; the notifications are signed instead.');
  if (url.hash) throw new UnsafeWebhookUrl('The URL must not have a #fragment.');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const allowedPrivate = policy.allowedPrivateHosts.includes(host);
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new UnsafeWebhookUrl(`The host name ${host} does not resolve; check the spelling.`);
    }
  }
  if (!addresses.length) throw new UnsafeWebhookUrl(`The host name ${host} does not resolve; check the spelling.`);
  if (!allowedPrivate) {
    const inside = addresses.find((a) => isNonPublicAddress(a.address));
    if (inside) {
      throw new UnsafeWebhookUrl(
        `${host} resolves to ${inside.address}, a private, loopback, link-local or reserved address; webhooks only call public addresses. Use the receiver's public HTTPS address.`,
      );
    }
  }
  // Every address passed; IPv4 first (reachable from more networks than IPv6), else the resolver's order.
  const chosen = addresses.find((a) => isIP(a.address) === 4) ?? addresses[0]!;
  return { url, address: chosen.address, family: isIP(chosen.address) === 6 ? 6 : 4 };
}
