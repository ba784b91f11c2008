/** The term compiler: plurals, acronyms only in capitals, hyphen and space alike. */
import { describe, expect, it } from "vitest";
import { compileTerms, findTerms } from "../../src/classify/terms.js";

const found = (terms: string[], text: string) => findTerms(compileTerms(terms), text).map((m) => m.text);

describe("compileTerms", () => {
  it.each([
    ["defense minister", "the defense ministers met", "defense ministers"],
    ["military", "both militaries", "militaries"],
    ["air defence", "new air-defences", "air-defences"],
    ["UAV", "UAVs and a UAV", "UAVs"],
    ["exercise", "joint exercises", "exercises"],
  ])("%s matches its plural in %j", (term, text, expected) => {
    expect(found([term], text)).toContain(expected);
  });

  it("matches an acronym only in capitals", () => {
    expect(found(["SAM"], "Sam said the SAM battery moved")).toEqual(["SAM"]);
  });

  it("does not inflect a wildcard or a term ending in a digit", () => {
    expect(found(["sanction*"], "sanctioned firms")).toEqual(["sanctioned"]);
    expect(found(["S-400"], "two S-400s and an S-400")).toEqual(["S-400"]);
  });

  it("keeps word boundaries", () => {
    expect(found(["arms"], "army farms disarmsx")).toEqual([]);
  });
});
