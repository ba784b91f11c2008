/**
 * The built-in lexicon (config/lexicon/defense.yaml): general military
 * vocabulary by category, the contexts that argue a story is about something
 * else (economy, diplomacy …), default relation kinds and the countries a
 * story may name as third parties. Every topic shares it, so a topic's own
 * config holds only what is specific to it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { GazetteerEntry, RelationKind } from "../config/sections/topics.js";
import { PROJECT_ROOT } from "../paths.js";

export const LEXICON_PATH = path.join(PROJECT_ROOT, "config", "lexicon", "defense.yaml");

export const LexiconCategory = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  kind: z.enum(["frame", "context"]).describe("frame: evidence of a defense story; context: evidence of another kind of story"),
  description: z.string(),
  terms: z.array(z.string().min(1)).min(1),
});
export type LexiconCategory = z.infer<typeof LexiconCategory>;

/** Categories whose meeting in one sentence says more than each alone: a state's words after an attack are diplomacy, not defense ties. */
export const LexiconConjunction = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string(),
  categories: z.array(z.string()).min(2).describe(`Category ids, or "${"third-party"}" for a country other than the topic's sides`),
});
export type LexiconConjunction = z.infer<typeof LexiconConjunction>;

export const THIRD_PARTY = "third-party";

export const Lexicon = z
  .strictObject({
    version: z.literal(1),
    categories: z.array(LexiconCategory).min(1),
    conjunctions: z.array(LexiconConjunction).default([]),
    relations: z.array(RelationKind).default([]),
    countries: z.array(GazetteerEntry).default([]),
  })
  .superRefine((lexicon, ctx) => {
    const ids = new Set([THIRD_PARTY, ...lexicon.categories.map((c) => c.id)]);
    lexicon.conjunctions.forEach((c, i) =>
      c.categories.forEach((id, k) => {
        if (!ids.has(id)) ctx.addIssue({ code: "custom", path: ["conjunctions", i, "categories", k], message: `no category ${id}` });
      }),
    );
  });
export type Lexicon = z.infer<typeof Lexicon>;

let builtin: Lexicon | null = null;

/** Reads and checks a lexicon file; an invalid one is an error naming the file and the key. */
export function readLexicon(file: string): Lexicon {
  const result = Lexicon.safeParse(parse(readFileSync(file, "utf8")));
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new Error(`classify/lexicon: ${file}: ${problems.join("; ")}`);
}

/** The built-in lexicon, read once per process: it is package data, not user config. */
export function builtinLexicon(): Lexicon {
  builtin ??= readLexicon(LEXICON_PATH);
  return builtin;
}
