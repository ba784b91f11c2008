/** `newswatch check-feed` against a feed on loopback: dates it cannot trust, XML it had to repair, and what is not an http(s) URL. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testTopicYaml } from "../helpers/config.js";
import { runCli } from "../helpers/cli.js";

let server: Server;
let base: string;
let config: string;

// One dated item, one undated, one dated in the year 9999; HTML left unescaped in the first description leaves a <b> open.
const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Lantern Wire</title>
<item><title>Ruritania and Freedonia sign naval drill pact</title><description>A <b>naval</description><link>https://lantern.example.test/1</link><pubDate>Fri, 03 May 2024 08:00:00 GMT</pubDate></item>
<item><title>Orchard opens for the season</title><link>https://lantern.example.test/2</link></item>
<item><title>Clock tower repaired</title><link>https://lantern.example.test/3</link><pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate></item>
</channel></rss>`;

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/rss+xml" }).end(FEED));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config = path.join(mkdtempSync(path.join(tmpdir(), "nw-check-")), "config.yaml");
  writeFileSync(config, `feeds: []\n${testTopicYaml("frame: [{ id: military, terms: [naval, drill, pact] }]")}`);
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe("newswatch check-feed", () => {
  it("shows undated and far-future items as such, and warns that the XML was repaired", async () => {
    const { code, out, err } = await runCli(["check-feed", `${base}/feed.xml`, "--config", config]);
    expect(code).toBe(0);
    expect(out).toMatch(/^2024-05-03 08:00Z\s+yes\s+\d\.\d\d\s+Ruritania and Freedonia sign naval drill pact/m);
    expect(out).toMatch(/^undated\s+\d\.\d\d\s+Orchard opens for the season$/m);
    expect(out).toMatch(/^bad date\s+\d\.\d\d\s+Clock tower repaired$/m);
    expect(err).toMatch(/^warning: feed XML is malformed \(<\/description> closed <b> too at line 2, column \d+\); recovered 3 item\(s\)$/m);
    expect(err).toMatch(/^warning: 1 item\(s\) were dated more than a day ahead; they are dated when first seen instead$/m);
  });

  it("gives null as the date of an item it cannot date in --json", async () => {
    const { code, out } = await runCli(["check-feed", `${base}/feed.xml`, "--json", "--config", config]);
    expect(code).toBe(0);
    const rows = out.trim().split("\n").map((l) => JSON.parse(l) as { title: string; published: string | null });
    expect(rows.map((r) => r.published)).toEqual(["2024-05-03T08:00:00.000Z", null, null]);
  });

  it.each([
    ["/tmp/feed.xml", "a file path (/tmp/feed.xml)"],
    ["file:///tmp/feed.xml", "file: URLs"],
    ["ftp://lantern.example.test/feed.xml", "ftp: URLs"],
  ])("refuses %s: only http(s) URLs are polled", async (url, what) => {
    const { code, err } = await runCli(["check-feed", url, "--config", config]);
    expect(code).toBe(1);
    expect(err).toBe(`newswatch check-feed: feeds/fetch: only http(s) URLs are polled, not ${what}\n`);
  });
});
