import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { parseConfig } from "../../src/config/load.js";
import { addFeedsToYaml } from "../../src/cli/feeds/config-edit.js";
import { parseOpml, writeOpml } from "../../src/cli/feeds/opml.js";

const OPML = `<?xml version="1.0"?>
<opml version="1.0"><head><title>Mine</title></head><body>
  <outline text="World">
    <outline text="Harbour &amp; Quay" title="Harbour &amp; Quay" type="rss" xmlUrl="https://quay.example.test/rss"/>
    <outline text="Hill Post" type="rss" xmlUrl="https://hill.example.test/atom.xml"/>
  </outline>
  <outline text="Not a feed" htmlUrl="https://x.example.test/"/>
  <outline text="Gopher" xmlUrl="gopher://old.example.test/"/>
  <outline text="Kiln" xmlUrl="https://kiln.example.test/feed.json"/>
</body></opml>`;

describe("OPML", () => {
  it("reads every http(s) outline with an xmlUrl, nested ones included, in order", () => {
    expect(parseOpml(OPML)).toEqual([
      { url: "https://quay.example.test/rss", name: "Harbour & Quay" },
      { url: "https://hill.example.test/atom.xml", name: "Hill Post" },
      { url: "https://kiln.example.test/feed.json", name: "Kiln" },
    ]);
  });

  it("writes OPML that reads back the same", () => {
    const feeds = [{ url: "https://a.example.test/?a=1&b=2", name: 'Say "hi" <now>' }, { url: "https://b.example.test/" }];
    expect(parseOpml(writeOpml(feeds))).toEqual([
      { url: "https://a.example.test/?a=1&b=2", name: 'Say "hi" <now>' },
      { url: "https://b.example.test/", name: "https://b.example.test/" },
    ]);
  });

  it("refuses a document that is not OPML", () => {
    expect(() => parseOpml("<rss><channel/></rss>")).toThrow(/not an OPML/);
  });
});

describe("addFeedsToYaml", () => {
  const feeds = [{ url: "https://quay.example.test/rss", name: "Harbour & Quay: daily" }, { url: "https://hill.example.test/atom.xml", name: null }];
  const urlsOf = (text: string) => parseConfig(text, "t.yaml", {}).feeds.map((f) => [f.url, f.name ?? null]);

  it("appends to a flow-style list, leaving every other line as it was", () => {
    const text = `# top comment\nredis:\n  url: redis://127.0.0.1:6379   # keep this spacing\nfeeds:\n  - { url: https://old.example.test/rss, name: Old }   # first\n  # a comment between\n  - { url: https://hill.example.test/atom.xml }\n\ntopics: []   # after\n`;
    const out = addFeedsToYaml(text, feeds);
    expect(out.skipped.map((f) => f.url)).toEqual(["https://hill.example.test/atom.xml"]);
    expect(out.text).toBe(text.replace("atom.xml }\n", 'atom.xml }\n  - { url: https://quay.example.test/rss, name: "Harbour & Quay: daily" }\n'));
    expect(urlsOf(out.text)).toEqual([
      ["https://old.example.test/rss", "Old"],
      ["https://hill.example.test/atom.xml", null],
      ["https://quay.example.test/rss", "Harbour & Quay: daily"],
    ]);
  });

  it("appends block maps to a block-style list", () => {
    const text = `feeds:\n  - url: https://old.example.test/rss\n    name: Old\ntopics: []\n`;
    expect(urlsOf(addFeedsToYaml(text, feeds).text).map((f) => f[0])).toEqual(["https://old.example.test/rss", "https://quay.example.test/rss", "https://hill.example.test/atom.xml"]);
  });

  it.each([
    ["an empty flow list", "feeds: []\ntopics: []\n"],
    ["an empty key", "feeds:\ntopics: []\n"],
    ["no feeds key", "# only a comment\ntopics: []"],
    ["a flow list with an entry", "feeds: [{ url: https://old.example.test/rss }]\ntopics: []\n", "https://old.example.test/rss"],
  ])("creates the list from %s", (_label, text, kept?: string) => {
    const out = addFeedsToYaml(text, feeds);
    expect(urlsOf(out.text).map((f) => f[0])).toEqual([...(kept ? [kept] : []), "https://quay.example.test/rss", "https://hill.example.test/atom.xml"]);
    expect(out.text).toContain("topics: []");
  });
});

describe("feeds import / feeds export commands", () => {

  it("imports an OPML file into the config, then exports it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nw-opml-"));
    const config = path.join(dir, "config.yaml");
    const opml = path.join(dir, "subs.opml");
    // A secret left to the environment is not needed to add feeds.
    writeFileSync(config, "# mine\nfeeds:\n  - { url: https://old.example.test/rss, name: Old }\nalerts: { webhooks: [{ url: https://hooks.example.test/x, secret: \"${UNSET_SECRET}\" }] }\n");
    writeFileSync(opml, OPML);
    const imp = await runCli(["feeds", "import", opml, "--config", config]);
    expect(imp.code).toBe(0);
    expect(imp.err).toMatch(/3 feed\(s\) added, 0 already configured/);
    expect(readFileSync(config, "utf8")).toMatch(/^# mine\n/);
    const again = await runCli(["feeds", "import", opml, "--config", config]);
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/0 feed\(s\) added, 3 already configured/);
    const exp = await runCli(["feeds", "export", "--config", config]);
    expect(exp.code).toBe(0);
    expect(parseOpml(exp.out).map((f) => f.url)).toEqual([
      "https://old.example.test/rss",
      "https://quay.example.test/rss",
      "https://hill.example.test/atom.xml",
      "https://kiln.example.test/feed.json",
    ]);
  });
});
