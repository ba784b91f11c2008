/** Writes config/schema.json from the zod schema, so editors can autocomplete config files. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { z } from "zod";
import { PROJECT_ROOT } from "../paths.js";
import { ConfigSchema } from "./schema.js";

export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ConfigSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = path.join(PROJECT_ROOT, "config", "schema.json");
  writeFileSync(out, JSON.stringify(configJsonSchema(), null, 2) + "\n");
  console.log(`wrote ${out}`);
}
