/** ../shared sits beside our checkout and CI's, not a user's: tests that need it skip with one line. */
import { existsSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../src/paths.js";

export const SHARED_DIR = path.resolve(PROJECT_ROOT, "..", "shared");

export function sharedPath(...parts: string[]): string | null {
  const p = path.join(SHARED_DIR, ...parts);
  if (existsSync(p)) return p;
  console.warn(`skipping: ${path.join("../shared", ...parts)} is absent (it exists only beside the project's own checkouts)`);
  return null;
}
