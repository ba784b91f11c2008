/**
 * Which addresses a feed fetch may connect to. Checked on the address the
 * socket actually connects to (a DNS lookup wrapper handed to undici), so a
 * name that resolves to a refused address — or re-resolves to one later, as
 * in DNS rebinding — is refused too. An IPv6 address that carries an IPv4
 * one (mapped, translated, compatible, NAT64, 6to4, Teredo: embedded-ipv4.ts)
 * is refused when either address is.
 *
 * Always refused, because no feed can be there and some are attack targets:
 * link-local (169.254.0.0/16, fe80::/10, which holds the cloud metadata
 * address 169.254.169.254), other metadata addresses, "this network"
 * 0.0.0.0/8 and ::, multicast (224.0.0.0/4, ff00::/8) and the reserved
 * 240.0.0.0/4 with the broadcast address 255.255.255.255.
 *
 * Refused with `network.blockPrivate: true`: loopback, RFC 1918, carrier-grade
 * NAT 100.64.0.0/10, unique-local fc00::/7 and the deprecated site-local
 * fec0::/10 — and, as they too lead into a local network rather than to a
 * public server, 192.0.0.0/24 (IETF protocol assignments: DS-Lite and NAT64
 * endpoints of the access network), 198.18.0.0/15 (benchmarking; lab
 * networks, and the "fake IP" answers of proxy tools such as Clash, which
 * map every name into it, so refusing it always would stop every fetch
 * behind them) and the NAT64 local-use prefix 64:ff9b:1::/48 as a whole
 * (it exists to reach private IPv4 networks, and where its IPv4 address sits
 * depends on the operator's prefix length; without blockPrivate only the
 * usual /96 form is decoded).
 *
 * `blockPrivate` is false by default: users run feeds on 127.0.0.1 and the
 * LAN, and the tests serve theirs on loopback. A service reachable by
 * untrusted feed URLs should set it.
 */
import dns, { type LookupAddress, type LookupOptions } from "node:dns";
import { BlockList, isIP } from "node:net";
import { embeddedIPv4, ipv6Bytes } from "./embedded-ipv4.js";

type Range = [string, number];

interface Rule {
  what: string;
  list: BlockList;
}

function rule(what: string, ranges: Range[]): Rule {
  const list = new BlockList();
  for (const [net, prefix] of ranges) list.addSubnet(net, prefix, isIP(net) === 6 ? "ipv6" : "ipv4");
  return { what, list };
}

const ALWAYS: Rule[] = [
  rule("a link-local address", [["169.254.0.0", 16], ["fe80::", 10]]),
  rule("a cloud metadata address", [["100.100.100.200", 32], ["fd00:ec2::254", 128]]),
  rule("an unspecified (this-network) address", [["0.0.0.0", 8], ["::", 128]]),
  rule("a multicast address", [["224.0.0.0", 4], ["ff00::", 8]]),
  rule("a reserved or broadcast address", [["240.0.0.0", 4]]),
];

const PRIVATE: Rule[] = [
  rule("a loopback address", [["127.0.0.0", 8], ["::1", 128]]),
  rule("a private address", [["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], ["fc00::", 7]]),
  rule("a site-local address", [["fec0::", 10]]),
  rule("a carrier-grade NAT address", [["100.64.0.0", 10]]),
  rule("an IETF protocol assignment address", [["192.0.0.0", 24]]),
  rule("a benchmarking address", [["198.18.0.0", 15]]),
  rule("a NAT64 local-use address", [["64:ff9b:1::", 48]]),
];

function match(rules: readonly Rule[], address: string, type: "ipv4" | "ipv6"): string | null {
  for (const r of rules) if (r.list.check(address, type)) return r.what;
  return null;
}

/** The address itself and the IPv4 addresses it carries, each with how it is named in messages. */
function candidates(address: string): { address: string; type: "ipv4" | "ipv6"; label: string }[] | null {
  if (isIP(address) === 4) return [{ address, type: "ipv4", label: address }];
  const bytes = isIP(address) === 6 ? ipv6Bytes(address) : null;
  if (!bytes) return null;
  const plain = address.replace(/%.*$/, "");
  const embedded = embeddedIPv4(bytes).map((e) => ({ address: e.ipv4, type: "ipv4" as const, label: `${address} (${e.via} ${e.ipv4})` }));
  return [{ address: plain, type: "ipv6", label: address }, ...embedded];
}

/** Why an address is refused, or null when it may be fetched. */
export function refusedAddress(address: string, blockPrivate: boolean): string | null {
  const all = candidates(address);
  if (!all) return `${address} is not an IP address`;
  for (const c of all) {
    const what = match(ALWAYS, c.address, c.type);
    if (what) return `${c.label} is ${what}`;
  }
  if (!blockPrivate) return null;
  for (const c of all) {
    const what = match(PRIVATE, c.address, c.type);
    if (what) return `${c.label} is ${what} (network.blockPrivate)`;
  }
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
