import type { LookupAddress } from "node:dns";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedLookup, refusedAddress } from "../../src/feeds/fetch/address-guard.js";
import { embeddedIPv4, ipv6Bytes } from "../../src/feeds/fetch/embedded-ipv4.js";
import { FeedError } from "../../src/feeds/errors.js";
import { createFetcher } from "../../src/feeds/fetch/fetch.js";

/** always: refused whatever blockPrivate says; private: refused only with it; open: never. */
type Verdict = "always" | "private" | "open";

describe("refusedAddress", () => {
  it.each<[string, Verdict]>([
    // IPv4 ranges
    ["93.184.216.34", "open"],
    ["8.8.8.8", "open"],
    ["169.254.169.254", "always"],
    ["0.0.0.0", "always"],
    ["224.0.0.1", "always"],
    ["239.255.255.250", "always"],
    ["240.0.0.1", "always"],
    ["255.255.255.255", "always"],
    ["127.0.0.1", "private"],
    ["10.1.2.3", "private"],
    ["172.31.0.1", "private"],
    ["192.168.0.10", "private"],
    ["100.64.0.1", "private"],
    ["198.18.0.1", "private"],
    ["198.19.255.254", "private"],
    ["198.20.0.1", "open"],
    ["192.0.0.8", "private"],
    ["192.0.1.1", "open"],
    // IPv6 ranges
    ["2606:4700::1111", "open"],
    ["::", "always"],
    ["::1", "private"],
    ["fe80::1", "always"],
    ["fe80::1%eth0", "always"],
    ["fd00:ec2::254", "always"],
    ["ff02::1", "always"],
    ["ff0e::101", "always"],
    ["fd12::1", "private"],
    ["fec0::1", "private"],
    // IPv4-mapped, in both spellings
    ["::ffff:169.254.169.254", "always"],
    ["::ffff:a9fe:a9fe", "always"],
    ["::ffff:127.0.0.1", "private"],
    ["::ffff:93.184.216.34", "open"],
    // IPv4-translated
    ["::ffff:0:169.254.169.254", "always"],
    ["::ffff:0:a00:1", "private"],
    ["::ffff:0:5db8:d822", "open"],
    // IPv4-compatible
    ["::169.254.169.254", "always"],
    ["::10.0.0.1", "private"],
    ["::5db8:d822", "open"],
    // NAT64 well-known and local-use
    ["64:ff9b::169.254.169.254", "always"],
    ["64:ff9b::a9fe:a9fe", "always"],
    ["64:ff9b::7f00:1", "private"],
    ["64:ff9b::93.184.216.34", "open"],
    ["64:ff9b:1::a9fe:a9fe", "always"],
    ["64:ff9b:1:2::5db8:d822", "private"],
    // 6to4
    ["2002:a9fe:a9fe::1", "always"],
    ["2002:c0a8:0001::", "private"],
    ["2002:5db8:d822::1", "open"],
    // Teredo: server in bits 32–63, client inverted in the last 32
    ["2001:0:a9fe:a9fe::1", "always"],
    ["2001:0:5db8:d822:0:0:5601:5601", "always"],
    ["2001:0:5db8:d822::f5ff:fffe", "private"],
    ["2001:0:5db8:d822:8000:f227:a247:27dd", "open"],
    // Not an IP address
    ["example.org", "always"],
  ])("%s: %s", (address, verdict) => {
    const open = refusedAddress(address, false);
    const strict = refusedAddress(address, true);
    expect({ open: open !== null, strict: strict !== null }).toEqual({ open: verdict === "always", strict: verdict !== "open" });
  });

  it("names the embedded address and how it is embedded", () => {
    expect(refusedAddress("2002:a9fe:a9fe::1", false)).toBe("2002:a9fe:a9fe::1 (6to4 169.254.169.254) is a link-local address");
    expect(refusedAddress("2001:0:5db8:d822:0:0:5601:5601", false)).toContain("Teredo client 169.254.169.254");
    expect(refusedAddress("198.18.0.1", true)).toBe("198.18.0.1 is a benchmarking address (network.blockPrivate)");
  });
});

describe("ipv6Bytes", () => {
  it.each([
    ["::", "00000000000000000000000000000000"],
    ["::1", "00000000000000000000000000000001"],
    ["1::", "00010000000000000000000000000000"],
    ["2001:db8::8:800:200c:417a", "20010db80000000000080800200c417a"],
    ["::ffff:1.2.3.4", "00000000000000000000ffff01020304"],
    ["FE80::1%eth0", "fe800000000000000000000000000001"],
  ])("%s", (address, hex) => {
    expect(Buffer.from(ipv6Bytes(address) ?? []).toString("hex")).toBe(hex);
  });

  it.each([["1::2::3"], ["1:2:3:4:5:6:7:8:9"], ["1:2:3"], ["::12345"], ["::1.2.3.256"], ["1::2:3:4:5:6:7:8"]])("rejects %s", (address) => {
    expect(ipv6Bytes(address)).toBeNull();
  });

  it("reads both Teredo addresses", () => {
    const bytes = ipv6Bytes("2001:0:4136:e378:8000:63bf:3fff:fdd2") as Uint8Array;
    expect(embeddedIPv4(bytes).map((e) => e.ipv4)).toEqual(["65.54.227.120", "192.0.2.45"]);
  });
});

describe("the fetcher", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(302, { location: "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/" }).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([["http://[2002:a9fe:a9fe::1]/"], ["http://[::ffff:0:a9fe:a9fe]/"], ["http://[ff02::1]/"], ["http://255.255.255.255/"]])("refuses %s", async (url) => {
    const fetcher = createFetcher({ timeout: 1000, connectTimeout: 500, maxBytes: 1000, blockPrivate: false });
    try {
      await expect(fetcher.fetch(url, {}, Date.now())).rejects.toMatchObject({ kind: "refused" });
    } finally {
      await fetcher.close();
    }
  });

  it("refuses a redirect to a NAT64 metadata address", async () => {
    const fetcher = createFetcher({ timeout: 1000, connectTimeout: 500, maxBytes: 1000, blockPrivate: false });
    try {
      const err = await fetcher.fetch(`${base}/feed`, {}, Date.now()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FeedError);
      expect(err).toMatchObject({ kind: "refused" });
    } finally {
      await fetcher.close();
    }
  });

  it("refuses in the DNS lookup, where a name resolves", async () => {
    const lookup = (host: string, blockPrivate: boolean) =>
      new Promise<string | null>((resolve) =>
        guardedLookup(blockPrivate)(host, { all: true }, (err, addresses) => resolve(err ? err.message : (addresses as LookupAddress[])[0]?.address ?? "")),
      );
    expect(await lookup("64:ff9b::a9fe:a9fe", false)).toMatch(/NAT64 169\.254\.169\.254\) is a link-local address/);
    expect(await lookup("::ffff:7f00:1", true)).toMatch(/is a loopback address/);
    expect(await lookup("::ffff:7f00:1", false)).toBe("::ffff:7f00:1");
  });
});
