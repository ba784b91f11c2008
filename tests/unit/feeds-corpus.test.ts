/**
 * Every document of ../shared/feeds parsed as the poller would (raw bytes,
 * no charset hint) and checked against MANIFEST.tsv: "yes" rows give exactly
 * the expected items, "no" rows a clean FeedError, and "partial" rows what
 * this parser promises for each (pinned below).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FeedError } from "../../src/feeds/errors.js";
import { parseFeed } from "../../src/feeds/parse/parse.js";
import { sharedPath } from "../helpers/shared.js";

const dir = sharedPath("feeds");

/** Partial rows: "recovered" (with the manifest's count) or "error". */
const PARTIAL: Record<string, "recovered" | "error"> = {
  "rss2-reuters-truncated-server-error.xml": "recovered",
  "rss2-uol-undeclared-latin1-pt-dates.xml": "recovered",
  "rss2-techcrunch-whitespace-before-xmldecl.xml": "recovered",
  "rss2-epoch-dcdate-unclosed.xml": "recovered",
  "atom-stackoverflow-control-chars-bom.xml": "recovered",
  "atom-wrapped-in-xhtml-body.xml": "recovered",
  "rss-bom-then-invalid-utf8.xml": "recovered",
  "rss-bogus-encoding-decl.xml": "recovered",
  "rss-koi8r-undeclared.xml": "recovered",
  "rss-html-named-entity-hellip.xml": "recovered",
  "malformed-rss-unescaped-ampersand.xml": "recovered",
  "malformed-rss-incomplete-cdata.xml": "recovered",
  "malformed-rss-undeclared-ns-prefix.xml": "recovered",
  "malformed-rss-unclosed-root-tag.xml": "recovered",
  "malformed-rdf-comment-before-xmldecl.xml": "recovered",
  "notfeed-gzip-body-nshipster.xml.gz": "recovered",
};

interface Row {
  file: string;
  expected: number;
  accept: "yes" | "partial" | "no";
}

function rows(): Row[] {
  if (!dir) return [];
  const lines = readFileSync(path.join(dir, "MANIFEST.tsv"), "utf8").trim().split("\n").slice(1);
  return lines.map((l) => {
    const cols = l.split("\t");
    return { file: cols[0] as string, expected: Number(cols[4]), accept: cols[5] as Row["accept"] };
  });
}

describe.skipIf(!dir)("feed corpus (../shared/feeds/MANIFEST.tsv)", () => {
  const all = rows();

  it("pins every partial row", () => {
    const partial = all.filter((r) => r.accept === "partial").map((r) => r.file).sort();
    expect(partial).toEqual(Object.keys(PARTIAL).sort());
  });

  it.each(all)("$file ($accept, $expected items)", ({ file, expected, accept }) => {
    const body = readFileSync(path.join(dir as string, file));
    const started = performance.now();
    const parse = () => parseFeed(body, { url: `https://feeds.example.test/${file}` });
    const promise = accept === "no" || PARTIAL[file] === "error" ? "error" : "recovered";
    if (promise === "error") {
      expect(parse).toThrow(FeedError);
    } else {
      const feed = parse();
      expect(feed.items).toHaveLength(expected);
      for (const item of feed.items) expect(item.link === null || /^https?:\/\//.test(item.link)).toBe(true);
    }
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
