import { z } from "zod";
import { coerceError } from "../errors.js";

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `30s`, `5m`, `1h`, `7d`, `250ms` (or a bare number of milliseconds) into milliseconds. */
export function parseDuration(input: string | number): number {
  if (typeof input === "number") return input;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(input);
  if (!m) throw new Error(`invalid duration "${input}" (expected e.g. 30s, 5m, 1h, 7d)`);
  return Math.round(Number(m[1]) * (UNITS[m[2] as string] as number));
}

/** A config value written with a unit (`5m`, `64mb`) or as a bare number, parsed by `parse`; its error is the issue. */
export function withUnit(parse: (input: string | number) => number, description: string) {
  return z
    .union([z.string(), z.number().int().nonnegative()])
    .transform((v, ctx) => {
      try {
        return parse(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: coerceError(err).message });
        return z.NEVER;
      }
    })
    .meta({ description });
}

/** A duration in config: a string like `5m` or milliseconds; parsed to milliseconds. */
export const Duration = withUnit(parseDuration, "Duration: 30s, 5m, 1h, 7d, or milliseconds");
