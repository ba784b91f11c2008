import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { configJsonSchema } from "../../src/config/write-schema.js";
import { PROJECT_ROOT } from "../../src/paths.js";

it("config/schema.json is generated from the current zod schema (run `npm run schema`)", () => {
  const committed: unknown = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "config", "schema.json"), "utf8"));
  expect(committed).toEqual(configJsonSchema());
});
