/**
 * Where a webhook may go. A webhook is a request this device makes on a workspace admin's say, so
 * it must not become a way to reach the device's own network (SSRF):
 *  - HTTPS only, except the loopback names (`localhost`, `127.0.0.1`, `[::1]`): a receiver a
 *    developer runs on this machine;
 *  - any other host that is, or resolves to, a private, loopback, link-local, CGNAT or unique-local
 *    address is refused unless the `webhooks-allow-private` preference is on (an office's intranet
 *    receiver). Checked when the URL is saved (the name looked up), before every batch (the URL's
 *    form), and on the address each connection is made to (webhook-transport.ts: a name that
 *    changes its answer is still refused).
 * Refusals are VALIDATION errors naming `url`.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ApiError } from '../../contract';

export const allowPrivatePreference = 'webhooks-allow-private';

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The hosts plain http:// may reach, whatever the preference: a receiver a developer runs here. */
export const isLoopbackName = (hostname: string) => loopbackNames.has(hostname.toLowerCase());

const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv4');
}
privateRanges.addAddress('::', 'ipv6');
privateRanges.addAddress('::1', 'ipv6');
privateRanges.addSubnet('fc00::', 7, 'ipv6');
privateRanges.addSubnet('fe80::', 10, 'ipv6');

/** Whether an IP address (v4, v6, or v4-mapped v6) is in a range this device's network uses. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return privateRanges.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return false;
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a host that resolved to a private address is refused (at save, per batch, and at connect). */
export const privateAddressRefusal = (host: string, address: string) =>
  `${host} is a private network address (${address}); turn on "Allow webhooks to private networks" (preference ${allowPrivatePreference}) to send there`;

const refuse = (message: string) => new ApiError('VALIDATION', `url: ${message}`, { field: 'url' });

export type Resolve = (host: string) => Promise<string[]>;
export const dnsResolve: Resolve = async (host) => (await lookup(host, { all: true })).map((entry) => entry.address);

/**
 * The checks that need no lookup: scheme, credentials, an address written in the URL. Returns the
 * host name still to look up (null: nothing left to check).
 */
function checkForm(url: string, allowPrivate: boolean): string | null {
  const parsed = new URL(url);
  const host = parsed.hostname.toLowerCase();
  if (isLoopbackName(host)) return null;
  if (parsed.protocol !== 'https:') throw refuse('must use https:// (plain http:// is allowed only for localhost, 127.0.0.1 and [::1])');
  if (parsed.username || parsed.password) throw refuse('must not contain a user name or password');
  if (allowPrivate) return null;
  const bare = host.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) return bare;
  if (isPrivateAddress(bare)) throw refuse(privateAddressRefusal(host, bare));
  return null;
}

/** Refuses a URL this device must not send webhooks to (see the header); resolves the host to check it (when the URL is saved). */
export async function checkWebhookTarget(url: string, allowPrivate: boolean, resolve: Resolve = dnsResolve): Promise<void> {
  const name = checkForm(url, allowPrivate);
  if (name === null) return;
  let addresses: string[];
  try {
    addresses = await resolve(name);
  } catch {
    // A name that does not resolve (yet) cannot reach a private address; sending will fail and retry.
    return;
  }
  const inside = addresses.find(isPrivateAddress);
  if (inside) throw refuse(privateAddressRefusal(name, inside));
}

/**
 * The same before a batch is sent, without the lookup: a name is checked on the address each
 * connection is made to (webhook-transport.ts), which a lookup here could only repeat.
 */
export function checkWebhookUrl(url: string, allowPrivate: boolean): void {
  checkForm(url, allowPrivate);
}
