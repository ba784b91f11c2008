/**
 * Reads JSON lines from a stream. A malformed line is reported on stderr
 * with its line number and skipped, never fatal.
 */
import { createInterface } from "node:readline";
import type { z } from "zod";
import { formatIssues } from "../config/load.js";
import { println } from "./command.js";

export async function* readJsonl<T extends z.ZodType>(
  input: NodeJS.ReadableStream,
  schema: T,
  stderr: NodeJS.WritableStream,
  source = "stdin",
): AsyncGenerator<{ line: number; raw: Record<string, unknown>; value: z.output<T> }> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n++;
    if (text.trim() === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      println(stderr, `${source}:${n}: invalid JSON (${(err as Error).message}); skipped`);
      continue;
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      println(stderr, `${source}:${n}: expected a JSON object; skipped`);
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      println(stderr, `${source}:${n}: ${formatIssues(parsed.error.issues).join("; ")}; skipped`);
      continue;
    }
    yield { line: n, raw: raw as Record<string, unknown>, value: parsed.data };
  }
}
