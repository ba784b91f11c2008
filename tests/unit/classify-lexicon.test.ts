/** The built-in lexicon: valid, no term in two places, conjunctions that name real categories. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { builtinLexicon, readLexicon } from "../../src/classify/lexicon.js";
import { phraseKey } from "../../src/classify/terms.js";

describe("built-in lexicon", () => {
  const lexicon = builtinLexicon();

  it("holds several hundred defense terms in its frame categories", () => {
    const frame = lexicon.categories.filter((c) => c.kind === "frame");
    expect(frame.length).toBeGreaterThanOrEqual(10);
    expect(frame.reduce((n, c) => n + c.terms.length, 0)).toBeGreaterThan(500);
  });

  it("lists no term twice, within or across categories", () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const c of lexicon.categories) {
      for (const term of c.terms) {
        const key = phraseKey(term);
        if (seen.has(key)) twice.push(`${term} (${seen.get(key)}, ${c.id})`);
        seen.set(key, c.id);
      }
    }
    expect(twice).toEqual([]);
  });

  it("has relation kinds and third-party countries", () => {
    expect(lexicon.relations.map((r) => r.id)).toEqual(expect.arrayContaining(["joint-exercise", "arms-transfer", "visit-or-talks"]));
    expect(lexicon.countries.length).toBeGreaterThan(50);
  });
});

describe("readLexicon", () => {
  it("names the file and the key of a problem", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "nw-lex-")), "bad.yaml");
    writeFileSync(file, "version: 1\ncategories:\n  - { id: a, kind: frame, description: x, terms: [tank] }\nconjunctions:\n  - { id: c, description: x, categories: [a, nowhere] }\n");
    expect(() => readLexicon(file)).toThrow(/bad\.yaml: conjunctions\.0\.categories\.1: no category nowhere/);
  });
});
