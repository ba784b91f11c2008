/** Zod issues as one line each, `key.path[0].sub: message`, for configs, payloads and reference files alike. */
import type { z } from "zod";
import { safeLine } from "../logger.js";

export type KeyPath = readonly PropertyKey[];

export function keyPath(at: KeyPath): string {
  return at.length === 0 ? "(root)" : at.map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`)).join("").replace(/^\./, "");
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === "unrecognized_keys") return safeLine(`${keyPath(issue.path)}: unknown key(s) ${issue.keys.join(", ")}`);
    return safeLine(`${keyPath(issue.path)}: ${issue.message}`);
  });
}
