/**
 * Walks the zod config schema beside a YAML document: which schema a key or
 * list item has, and which keys an object takes. The loader uses it to
 * expand `${VAR}` only where allowed (env-field.ts) and to suggest the key a
 * typo meant.
 */
import type { z } from "zod";

export type Schema = z.core.$ZodType;

/** The schema itself and what it wraps (optional, default, prefault, nullable, pipe input …), outermost first. */
export function layers(schema: Schema): Schema[] {
  const out: Schema[] = [];
  let s: Schema | undefined = schema;
  while (s && out.length < 20) {
    out.push(s);
    const def = s._zod.def as { innerType?: Schema; in?: Schema };
    s = def.innerType ?? def.in;
  }
  return out;
}

/** The schema of a map's value at `key` (object field, record value); null when the schema has no such key. */
export function fieldSchema(schema: Schema | null, key: string): Schema | null {
  if (schema === null) return null;
  for (const s of layers(schema)) {
    const def = s._zod.def as { type: string; shape?: Record<string, Schema>; valueType?: Schema };
    if (def.type === "object") return def.shape?.[key] ?? null;
    if (def.type === "record") return def.valueType ?? null;
  }
  return null;
}

/** The schema of a list's items; null when the schema is not a list. */
export function itemSchema(schema: Schema | null): Schema | null {
  if (schema === null) return null;
  for (const s of layers(schema)) {
    const def = s._zod.def as { type: string; element?: Schema };
    if (def.type === "array") return def.element ?? null;
  }
  return null;
}

/** The schema at a key path (strings for keys, numbers for list items); null when the path leaves the schema. */
export function schemaAt(schema: Schema, path: readonly PropertyKey[]): Schema | null {
  let s: Schema | null = schema;
  for (const step of path) s = typeof step === "number" ? itemSchema(s) : fieldSchema(s, String(step));
  return s;
}

/** The keys an object schema takes; empty for anything else. */
export function objectKeys(schema: Schema | null): string[] {
  if (schema === null) return [];
  for (const s of layers(schema)) {
    const def = s._zod.def as { type: string; shape?: Record<string, Schema> };
    if (def.type === "object") return Object.keys(def.shape ?? {});
  }
  return [];
}
