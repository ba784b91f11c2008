/** A config with every value read from the environment replaced, fit to store or print: secrets never leave the process. */
import { isEnvField } from "./env-field.js";
import { ConfigSchema, type Config } from "./schema.js";
import { fieldSchema, itemSchema, type Schema } from "./schema-walk.js";

const ENV_VALUE = "[from env]";

function walk(value: unknown, schema: Schema | null): unknown {
  if (isEnvField(schema) && value !== undefined) return ENV_VALUE;
  if (Array.isArray(value)) return value.map((v) => walk(v, itemSchema(schema)));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, fieldSchema(schema, k))]));
  }
  return value;
}

/** The same config, its fromEnv fields (redis.url, webhook URLs and secrets, SMTP credentials …) replaced by ENV_VALUE. */
export function redactConfig(config: Config): Config {
  return walk(config, ConfigSchema) as Config;
}
