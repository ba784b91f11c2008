/**
 * Loads a Redis script kept as a `.lua` file beside the module that runs it
 * (`loadLua(import.meta.url, "commit.lua")`). Each file starts with a header
 * naming its KEYS and the fields of its one argument table, so a script reads
 * on its own, as bullmq's src/commands/*.lua do. The build copies the files
 * into dist/ (scripts/copy-lua.js).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { coerceError } from "./errors.js";

export function loadLua(moduleUrl: string, name: string): string {
  const file = fileURLToPath(new URL(`./lua/${name}`, moduleUrl));
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`lua: cannot read ${file} (${coerceError(err).code ?? String(err)})`, { cause: err });
  }
}
