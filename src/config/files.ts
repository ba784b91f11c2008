/**
 * The files a config names (reference articles, topic models) by their
 * digests, so that a reload can tell an edited file from an unchanged one.
 * Checking that they load is not done here: their formats belong to the
 * stages (classify/, reference/), which depend on config, so the check is
 * passed in by the layer above (LoadOptions.checkFiles,
 * service/config-file-check.ts).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { KeyPath } from "./issues.js";
import type { Config } from "./schema.js";

/** Path → SHA-256 of the content, for every reference and model file of a config. */
export type FileDigests = ReadonlyMap<string, string>;

/**
 * Reads every file a config names and reports each that fails at its key
 * path (the loader adds the line); returns the digests of those that loaded.
 */
export type FileCheck = (config: Config, report: (at: KeyPath, message: string) => void) => FileDigests;

export const digest = (text: string) => createHash("sha256").update(text).digest("hex");

/** The digests of the files a config names, as they are now; an unreadable one is left out (it counts as unchanged). */
export function digestConfigFiles(config: Config): FileDigests {
  const files = [...config.reference, ...config.topics.flatMap((t) => (t.model === undefined ? [] : [t.model]))];
  const digests = new Map<string, string>();
  for (const file of files) {
    try {
      digests.set(file, digest(readFileSync(file, "utf8")));
    } catch {
      // Checked when the config loaded; a file gone since then is the next load's problem.
    }
  }
  return digests;
}
