/**
 * Which addresses a feed fetch may connect to. Checked on the address the
 * socket actually connects to (a DNS lookup wrapper handed to undici), so a
 * name that resolves to a refused address — or re-resolves to one later, as
 * in DNS rebinding — is refused too.
 *
 * Always refused: link-local (169.254.0.0/16, fe80::/10, which holds the
 * cloud metadata address 169.254.169.254), other metadata addresses, and
 * "this network" 0.0.0.0/8. With `network.blockPrivate: true` also loopback,
 * RFC 1918, carrier-grade NAT and unique-local IPv6. Loopback is allowed by
 * default: tests and users serve feeds on 127.0.0.1.
 */
import dns, { type LookupAddress, type LookupOptions } from "node:dns";
import { BlockList, isIP } from "node:net";

function blockList(ranges: [string, number, "ipv4" | "ipv6"][]): BlockList {
  const list = new BlockList();
  for (const [net, prefix, type] of ranges) list.addSubnet(net, prefix, type);
  return list;
}

const ALWAYS = blockList([
  ["0.0.0.0", 8, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["100.100.100.200", 32, "ipv4"],
  ["fe80::", 10, "ipv6"],
  ["fd00:ec2::254", 128, "ipv6"],
  ["::", 128, "ipv6"],
]);

const PRIVATE = blockList([
  ["127.0.0.0", 8, "ipv4"],
  ["10.0.0.0", 8, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["100.64.0.0", 10, "ipv4"],
  ["::1", 128, "ipv6"],
  ["fc00::", 7, "ipv6"],
]);

/** IPv4-mapped IPv6 (::ffff:169.254.169.254) is checked as the IPv4 address it is. */
function unmap(address: string): { address: string; type: "ipv4" | "ipv6" } {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return { address: m[1] as string, type: "ipv4" };
  return { address, type: isIP(address) === 6 ? "ipv6" : "ipv4" };
}

/** Why an address is refused, or null when it may be fetched. */
export function refusedAddress(address: string, blockPrivate: boolean): string | null {
  const a = unmap(address);
  if (ALWAYS.check(a.address, a.type)) return `${address} is a link-local, metadata or unspecified address`;
  if (blockPrivate && PRIVATE.check(a.address, a.type)) return `${address} is a private or loopback address (network.blockPrivate)`;
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup replacement for net.connect that fails on refused addresses. */
export function guardedLookup(blockPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const a of addresses) {
        const reason = refusedAddress(a.address, blockPrivate);
        if (reason) {
          const refused: NodeJS.ErrnoException = new Error(`feeds/fetch: refused to connect to ${hostname}: ${reason}`);
          refused.code = "EADDRREFUSED";
          return callback(refused, []);
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`feeds/fetch: ${hostname} has no address`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}
