/**
 * IPv4 addresses carried inside IPv6 ones. A packet to such an address may
 * reach the IPv4 address through a translator or tunnel (NAT64, 6to4,
 * Teredo) or the local stack (mapped, compatible), so address-guard.ts checks
 * the IPv4 address against the IPv4 rules as well.
 *
 *   ::ffff:a.b.c.d            IPv4-mapped (RFC 4291)
 *   ::ffff:0:a.b.c.d          IPv4-translated (RFC 2765)
 *   ::a.b.c.d                 IPv4-compatible (deprecated; not :: or ::1)
 *   64:ff9b::a.b.c.d          NAT64 well-known prefix (RFC 6052)
 *   64:ff9b:1:…:a.b.c.d       NAT64 local-use /48 (RFC 8215), read as a /96 translator
 *                             prefix, where the IPv4 address is the last 32 bits
 *   2002:AABB:CCDD::          6to4 (RFC 3056): IPv4 in bits 16–47
 *   2001:0:SSSS:SSSS:…:CCCC:CCCC  Teredo (RFC 4380): server IPv4 in bits 32–63,
 *                             client IPv4 in the last 32 bits, inverted
 */

/** The 16 bytes of an IPv6 address (zone id dropped), or null when it is not one. */
export function ipv6Bytes(address: string): Uint8Array | null {
  let text = address.replace(/%.*$/, "").toLowerCase();
  // A dotted IPv4 tail stands for the last two groups.
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const q = dotted.slice(2).map(Number);
    if (q.some((n) => n > 255)) return null;
    const [a, b, c, d] = q as [number, number, number, number];
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string | undefined) => (s ? s.split(":") : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  const bytes = new Uint8Array(16);
  for (const [i, g] of all.entries()) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    const v = parseInt(g, 16);
    bytes[2 * i] = v >> 8;
    bytes[2 * i + 1] = v & 0xff;
  }
  return bytes;
}

function ipv4At(bytes: Uint8Array, at: number, invert = false): string {
  const x = invert ? 0xff : 0;
  return Array.from(bytes.subarray(at, at + 4), (b) => b ^ x).join(".");
}

const zero = (bytes: Uint8Array, from: number, to: number) => bytes.subarray(from, to).every((b) => b === 0);
const starts = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);

export interface EmbeddedIPv4 {
  ipv4: string;
  /** How it is embedded, for messages. */
  via: string;
}

/** The IPv4 addresses an IPv6 address carries (none for most). */
export function embeddedIPv4(bytes: Uint8Array): EmbeddedIPv4[] {
  const last = (via: string) => [{ ipv4: ipv4At(bytes, 12), via }];
  if (zero(bytes, 0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return last("IPv4-mapped");
  if (zero(bytes, 0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(bytes, 10, 12)) return last("IPv4-translated");
  // :: and ::1 are IPv6's own unspecified and loopback addresses, checked as such.
  if (zero(bytes, 0, 12) && !(zero(bytes, 12, 15) && (bytes[15] ?? 0) <= 1)) return last("IPv4-compatible");
  if (starts(bytes, [0x00, 0x64, 0xff, 0x9b]) && zero(bytes, 4, 12)) return last("NAT64");
  if (starts(bytes, [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01])) return last("NAT64 local-use");
  if (starts(bytes, [0x20, 0x02])) return [{ ipv4: ipv4At(bytes, 2), via: "6to4" }];
  if (starts(bytes, [0x20, 0x01, 0x00, 0x00])) {
    return [
      { ipv4: ipv4At(bytes, 4), via: "Teredo server" },
      { ipv4: ipv4At(bytes, 12, true), via: "Teredo client" },
    ];
  }
  return [];
}
