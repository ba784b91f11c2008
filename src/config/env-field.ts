/**
 * Which config values may hold `${VAR}`. The schema marks them with
 * `fromEnv(…)` (zod metadata `x-env: true`, which config/schema.json carries
 * too); the loader expands `${VAR}` only there and refuses it anywhere else.
 * Expanding everywhere would let any value that reaches a third party — a
 * feed URL, a feed name, a topic keyword — carry a secret out of the
 * environment (a hostile OPML naming a feed `${SMTP_PASS}`).
 */
import { z } from "zod";
import { layers, type Schema } from "./schema-walk.js";

const ENV_META = "x-env";

/** What a `${VAR}` left unexpanded becomes (env.ts): `env-unresolved:NAME`, the whole value. */
export const ENV_PLACEHOLDER = "env-unresolved:";

/** A value that stands for a `${VAR}` left unexpanded. */
export const isPlaceholder = (value: unknown): boolean => typeof value === "string" && value.startsWith(ENV_PLACEHOLDER);

/** Marks a value that may be written as `${VAR}` (or contain one) and is read from the environment. */
export function fromEnv<T extends z.ZodType>(schema: T): T {
  return schema.meta({ [ENV_META]: true }) as T;
}

export function isEnvField(schema: Schema | null): boolean {
  return schema !== null && layers(schema).some((s) => z.globalRegistry.get(s)?.[ENV_META] === true);
}

/** Every key path marked fromEnv, for messages: `redis.url`, `alerts.webhooks[].headers.*`, `alerts.email.to[]` … */
export function envFieldPaths(schema: Schema, at = ""): string[] {
  if (isEnvField(schema)) return [at];
  for (const s of layers(schema)) {
    const def = s._zod.def as { type: string; shape?: Record<string, Schema>; valueType?: Schema; element?: Schema };
    if (def.type === "object" && def.shape) {
      return Object.entries(def.shape).flatMap(([k, v]) => envFieldPaths(v, at ? `${at}.${k}` : k));
    }
    if (def.type === "record" && def.valueType) return envFieldPaths(def.valueType, `${at}.*`);
    if (def.type === "array" && def.element) return envFieldPaths(def.element, `${at}[]`);
  }
  return [];
}
