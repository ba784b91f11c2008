/**
 * Reference articles: the events newswatch was built around. A file in
 * config/reference/ is either YAML facts (id, title, date, source, entities,
 * summary) or a plain-text article a user dropped there (first line the
 * title, then a date line, then the body), whose entities the classifier's
 * extractor finds.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { formatIssues } from "../config/issues.js";
import { EntityType } from "../model/classification.js";

export const Reference = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only"),
  title: z.string().min(1),
  /** ISO date or date-time of the event. */
  date: z.union([z.string(), z.date()]).transform((v, ctx) => {
    const t = v instanceof Date ? v.getTime() : Date.parse(v);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: "custom", message: `invalid date "${String(v)}"` });
      return z.NEVER;
    }
    return new Date(t).toISOString();
  }),
  source: z.string().default(""),
  entities: z.array(z.strictObject({ name: z.string().min(1), type: EntityType.default("other") })).default([]),
  topics: z.array(z.string()).default([]),
  summary: z.string().default(""),
});
export type Reference = z.output<typeof Reference>;

/** Entities of a plain-text article (the classifier's extractor, passed in so this module stays pure). */
export type EntityExtractor = (text: { title: string; description: string }) => Reference["entities"];

/** A YAML reference; every problem names the file and key. */
export function parseYamlReference(text: string, file: string): Reference {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new Error(`reference: ${file}: invalid YAML`, { cause: err });
  }
  const result = Reference.safeParse(raw);
  if (!result.success) throw new Error(`reference: ${file}: ${formatIssues(result.error.issues).join("; ")}`);
  return result.data;
}

/** A plain-text article: title line, a date line among the next lines, then the body. */
export function parseTextReference(text: string, file: string, extract: EntityExtractor): Reference {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const title = lines.find((l) => l.length > 0);
  if (!title) throw new Error(`reference: ${file}: empty article`);
  const rest = lines.slice(lines.indexOf(title) + 1);
  const dateAt = rest.findIndex((l) => l.length > 0 && l.length <= 40 && !Number.isNaN(Date.parse(l)));
  if (dateAt < 0) throw new Error(`reference: ${file}: no date line after the title`);
  const date = new Date(Date.parse(`${rest[dateAt]} UTC`) || Date.parse(rest[dateAt] as string)).toISOString();
  const summary = rest.slice(dateAt + 1).filter((l) => l.length > 0).join("\n");
  return {
    id: path.basename(file).replace(/\.[^.]+$/, ""),
    title,
    date,
    source: "",
    entities: extract({ title, description: summary }),
    topics: [],
    summary,
  };
}

export function loadReference(file: string, extract: EntityExtractor): Reference {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`reference: cannot read ${file}`, { cause: err });
  }
  return /\.ya?ml$/i.test(file) ? parseYamlReference(text, file) : parseTextReference(text, file, extract);
}
