/**
 * The files a config names, checked when it loads: each reference article
 * must read and parse, each topic's model must read and validate, so that a
 * typo'd path is a config error naming the key and the file, not a stage
 * that fails at start-up (or later, at the first story). Their digests let a
 * reload tell an edited reference or model from an unchanged one.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readModel } from "../classify/model.js";
import { parseTextReference, parseYamlReference } from "../reference/reference.js";
import type { ProblemList } from "./problems.js";
import type { Config } from "./schema.js";

/** Path → SHA-256 of the content, for every reference and model file of a config. */
export type FileDigests = ReadonlyMap<string, string>;

export const digest = (text: string) => createHash("sha256").update(text).digest("hex");

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    throw new Error(`cannot read ${file} (${code ?? message})`);
  }
}

/** Reads every reference and model file; each one that fails is a problem at its key path. */
export function checkConfigFiles(config: Config, problems: ProblemList): FileDigests {
  const digests = new Map<string, string>();
  config.reference.forEach((file, i) => {
    try {
      const text = readText(file);
      // Validation only: the dedupe stage extracts a plain-text article's entities when it loads it.
      if (/\.ya?ml$/i.test(file)) parseYamlReference(text, file);
      else parseTextReference(text, file, () => []);
      digests.set(file, digest(text));
    } catch (err) {
      problems.add(["reference", i], (err as Error).message.replace(/^reference: /, ""));
    }
  });
  config.topics.forEach((topic, i) => {
    if (topic.model === undefined) return;
    try {
      readModel(topic.model);
      digests.set(topic.model, digest(readText(topic.model)));
    } catch (err) {
      problems.add(["topics", i, "model"], (err as Error).message);
    }
  });
  return digests;
}

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
