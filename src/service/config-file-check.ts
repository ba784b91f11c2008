/**
 * The check of the files a config names, passed to the config loader
 * (LoadOptions.checkFiles): each reference article must read and parse, each
 * topic's model must read and validate, so that a typo'd path is a config
 * error naming the key and the file, not a stage that fails at start-up (or
 * later, at the first story). It lives above config/ because the formats are
 * the stages' own (classify/model.ts, reference/reference.ts).
 */
import { readFileSync } from "node:fs";
import { readModel } from "../classify/model.js";
import { digest, type FileCheck } from "../config/files.js";
import { coerceError } from "../errors.js";
import { parseTextReference, parseYamlReference } from "../reference/reference.js";

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const { code, message } = coerceError(err);
    throw new Error(`cannot read ${file} (${code ?? message})`);
  }
}

/** Reads every reference and model file; each one that fails is reported at its key path. */
export const checkConfigFiles: FileCheck = (config, report) => {
  const digests = new Map<string, string>();
  config.reference.forEach((file, i) => {
    try {
      const text = readText(file);
      // Validation only: the dedupe stage extracts a plain-text article's entities when it loads it.
      if (/\.ya?ml$/i.test(file)) parseYamlReference(text, file);
      else parseTextReference(text, file, () => []);
      digests.set(file, digest(text));
    } catch (err) {
      report(["reference", i], coerceError(err).message.replace(/^reference: /, ""));
    }
  });
  config.topics.forEach((topic, i) => {
    if (topic.model === undefined) return;
    try {
      readModel(topic.model);
      digests.set(topic.model, digest(readText(topic.model)));
    } catch (err) {
      report(["topics", i, "model"], coerceError(err).message);
    }
  });
  return digests;
};
