/** Config errors say where: file:line:col, the key path, and the key a typo meant; a BOM is not part of line 1. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../src/config/load.js";
import { didYouMean, editDistance } from "../../src/config/suggest.js";
import { ConfigError } from "../../src/errors.js";
import { checkConfigFiles } from "../../src/service/config-file-check.js";

const dir = mkdtempSync(path.join(tmpdir(), "nw-config-errors-"));
const FILE = path.join(dir, "newswatch.yaml");

/** The error's lines (`file:line:col: path: message`) for a config text. */
function lines(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(text, FILE, env, { checkFiles: checkConfigFiles });
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("edit distance and suggestions", () => {
  it.each([
    ["feds", "feeds", 1],
    ["intervall", "interval", 1],
    ["inetrval", "interval", 1],
    ["url", "url", 0],
    ["", "abc", 3],
  ])("%s → %s is %i", (a, b, d) => expect(editDistance(a, b)).toBe(d));

  it("suggests a near key, ignoring case, and nothing for a far one", () => {
    const keys = ["url", "name", "interval", "backfill"];
    expect(didYouMean("intervall", keys)).toBe("interval");
    expect(didYouMean("Name", keys)).toBe("name");
    expect(didYouMean("backfil", keys)).toBe("backfill");
    expect(didYouMean("colour", keys)).toBeNull();
    expect(didYouMean("x", keys)).toBeNull();
  });
});

describe("config error lines", () => {
  it("places an unknown key at its own line and column and names the key meant", () => {
    const text = ["redis: { prefix: t }", "feeds:", "  - url: http://a.example/x", "    intervall: 5m", ""].join("\n");
    expect(lines(text)).toEqual([`${FILE}:4:5: feeds[0].intervall: unknown key — did you mean "interval"?`]);
  });

  it("suggests the top-level key for `feds:` and lists the keys when nothing is near", () => {
    const found = lines("feds: []\nzzzzzz: 1\n");
    expect(found[0]).toBe(`${FILE}:1:1: feds: unknown key — did you mean "feeds"?`);
    expect(found[1]).toMatch(new RegExp(`^${FILE}:2:1: zzzzzz: unknown key \\(expected one of: .*feeds, topics`));
  });

  it("gives every kind of error its line: an env variable, a wrong type, a bad duration, a missing key, a duplicate", () => {
    const text = [
      "defaults:",
      "  interval: soon",
      "feeds:",
      "  - url: http://a.example/x",
      "  - url: http://a.example/x",
      "  - name: no url",
      "limits: { items: many }",
      "alerts:",
      "  webhooks:",
      "    - url: http://h.example/",
      "      secret: ${NOT_SET_ANYWHERE}",
      "",
    ].join("\n");
    expect(lines(text)).toEqual([`${FILE}:11:15: alerts.webhooks[0].secret: environment variable NOT_SET_ANYWHERE is not set`]);
    const typed = lines(text.replace("${NOT_SET_ANYWHERE}", "s"));
    expect(typed).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${FILE}:2:13: defaults.interval: invalid duration "soon"`)),
        // A key the YAML lacks points at the nearest node it has: the list item without a url.
        `${FILE}:6:5: feeds[2].url: required (expected string)`,
        expect.stringMatching(new RegExp(`^${FILE}:7:18: limits.items: `)),
      ]),
    );
    expect(typed).toHaveLength(3);
    // Rules over the whole config run once its parts are valid.
    expect(lines(text.replace("${NOT_SET_ANYWHERE}", "s").replace("soon", "1m").replace("many", "5").replace("  - name: no url\n", ""))).toEqual([
      `${FILE}:5:10: feeds[1].url: duplicate feed http://a.example/x`,
    ]);
  });

  it("places a YAML syntax error", () => {
    expect(lines("feeds:\n  - url: [\n")[0]).toMatch(new RegExp(`^${FILE}:\\d+:\\d+: `));
  });

  it("shows a file under the working directory by its relative path", () => {
    const local = path.join(process.cwd(), "config", "not-there-typo.yaml");
    try {
      parseConfig("feds: []\n", local, {});
    } catch (err) {
      expect((err as ConfigError).lines).toEqual(['config/not-there-typo.yaml:1:1: feds: unknown key — did you mean "feeds"?']);
      expect((err as ConfigError).message).toContain('  - config/not-there-typo.yaml:1:1: feds: unknown key — did you mean "feeds"?');
      return;
    }
    throw new Error("expected a ConfigError");
  });

  it("reads a config that starts with a UTF-8 byte order mark, and counts lines and columns without it", () => {
    const file = path.join(dir, "bom.yaml");
    writeFileSync(file, "\uFEFFredis: { prefix: bom }\nfeeds: [{ url: 'http://a.example/x' }]\n");
    expect(loadConfig(file, {}).config.redis.prefix).toBe("bom");
    expect(lines("\uFEFFfeeds:\n  - url: http://a.example/x\n    intervall: 5m\n")[0]).toMatch(new RegExp(`^${FILE}:3:5: `));
  });
});

describe("reference and model files are checked with the config", () => {
  it("are read only with a check passed in (config/ does not know their formats)", () => {
    const text = "reference:\n  - missing.yaml\n";
    expect(parseConfig(text, FILE, {}).reference).toEqual([path.join(dir, "missing.yaml")]);
    expect(lines(text)).toHaveLength(1);
  });

  it("names the key path and the file of a missing or malformed reference, at its line", () => {
    writeFileSync(path.join(dir, "bad.yaml"), "id: bad\ntitle: Bad\ndate: not a date\n");
    writeFileSync(path.join(dir, "good.txt"), "A title\n2024-05-01\nBody text.\n");
    const found = lines("reference:\n  - good.txt\n  - missing.yaml\n  - bad.yaml\n");
    expect(found).toEqual([
      `${FILE}:3:5: reference[1]: cannot read ${path.join(dir, "missing.yaml")} (ENOENT)`,
      `${FILE}:4:5: reference[2]: ${path.join(dir, "bad.yaml")}: date: invalid date "not a date"`,
    ]);
  });

  it("names a topic's model file that does not load", () => {
    const text = `topics:\n  - id: t\n    name: T\n    actors: [{ side: A, entities: [{ name: A }] }]\n    model: nope.json\n`;
    expect(lines(text)[0]).toMatch(new RegExp(`^${FILE}:5:12: topics\\[0\\]\\.model: classify/model: cannot read ${path.join(dir, "nope.json")}`));
  });
});
