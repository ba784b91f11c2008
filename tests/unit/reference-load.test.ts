import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import { parseTextReference, parseYamlReference } from "../../src/reference/reference.js";

describe("reference articles", () => {
  it("loads the project's reference facts with their date and entities", () => {
    const { config } = loadConfig(DEFAULT_CONFIG_PATH, {});
    const file = config.reference.find((f) => f.endsWith(".yaml")) as string;
    const ref = parseYamlReference(readFileSync(file, "utf8"), file);
    expect(ref.date).toBe("2022-04-27T00:00:00.000Z");
    expect(ref.entities.map((e) => e.name)).toEqual(expect.arrayContaining(["Wei Fenghe", "Ebrahim Raisi", "Mohammad Reza Ashtiani"]));
  });

  it("reads a plain-text article: title line, date line, body; entities from the extractor", () => {
    const text = "Harbour opened in Kessel\nMarch 3, 2031\n\nAdmiral Ada Brenner opened the harbour.\nShips arrived.";
    const seen: string[] = [];
    const ref = parseTextReference(text, path.join("x", "kessel-2031.txt"), (t) => {
      seen.push(t.title, t.description);
      return [{ name: "Ada Brenner", type: "person" }];
    });
    expect(ref).toMatchObject({ id: "kessel-2031", title: "Harbour opened in Kessel", date: "2031-03-03T00:00:00.000Z" });
    expect(seen).toEqual(["Harbour opened in Kessel", "Admiral Ada Brenner opened the harbour.\nShips arrived."]);
  });

  it.each([
    ["no date line", "Title only\nno date here at all, just words"],
    ["an empty file", "\n\n"],
  ])("names the file when a text article has %s", (_case, text) => {
    expect(() => parseTextReference(text, "bad.txt", () => [])).toThrow(/reference: bad\.txt/);
  });

  it("reports the key of a bad YAML reference", () => {
    expect(() => parseYamlReference("id: x\ntitle: t\ndate: someday\n", "r.yaml")).toThrow(/r\.yaml: date: invalid date/);
  });
});
