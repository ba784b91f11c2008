/**
 * `${VAR}` in the config, expanded from the environment in the values the
 * schema marks fromEnv (env-field.ts) and refused anywhere else.
 *
 * A command expands only the sections it uses (`scope`): `newswatch feeds`
 * needs Redis, not the webhook secret. In a section left out, a value that
 * holds `${…}` becomes the placeholder `env-unresolved:NAME` — whole, so
 * neither the reference nor part of a real address survives — and its key
 * path is listed by unresolvedFields; the service refuses to start on such
 * a partial config.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from "yaml";
import { ConfigSchema } from "./schema.js";
import { ENV_PLACEHOLDER, envFieldPaths, isEnvField, isPlaceholder } from "./env-field.js";
import { keyPath } from "./issues.js";
import type { ProblemList } from "./problems.js";
import { fieldSchema, itemSchema, type Schema } from "./schema-walk.js";

type Env = Record<string, string | undefined>;

/** Top-level sections whose `${VAR}`s are expanded, or all of them. */
export type EnvScope = "all" | readonly string[];

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const PLACEHOLDER = ENV_PLACEHOLDER;

let envPathList: string | undefined;
const envPaths = () => (envPathList ??= envFieldPaths(ConfigSchema).join(", "));

interface EnvWalk {
  env: Env;
  scope: EnvScope;
  problems: ProblemList;
  /** Anchors of nodes that hold an expanded value: an alias must not carry it to a field that takes none. */
  expanded: Set<string>;
}

export { isPlaceholder };

/** Expands `${VAR}` in the document in place (outside `scope`, puts placeholders). */
export function expandEnv(doc: Document, env: Env, scope: EnvScope, problems: ProblemList): void {
  visit(doc.contents as Node | null, ConfigSchema, [], { env, scope, problems, expanded: new Set() });
}

/**
 * Key paths of a parsed config that hold a placeholder for a `${VAR}` left
 * unexpanded; empty for a whole config. Read from the values themselves, so
 * a copy of a partial config is partial too. Nothing may deliver or connect
 * with a partial config: the service refuses one.
 */
export function unresolvedFields(value: unknown, at: (string | number)[] = []): string[] {
  if (typeof value === "string") return isPlaceholder(value) ? [keyPath(at)] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unresolvedFields(v, [...at, i]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => unresolvedFields(v, [...at, k]));
  return [];
}

const inScope = (scope: EnvScope, at: readonly (string | number)[]) => scope === "all" || scope.includes(String(at[0]));

/**
 * Walks the YAML beside the schema; a missing variable is a problem naming it
 * and its key. `${` in any other value is a problem too, as is an alias there
 * to an expanded value: either could hand a secret to a feed's server or into
 * an alert. Returns whether anything under the node was expanded.
 */
function visit(node: Node | null, schema: Schema | null, at: (string | number)[], walk: EnvWalk): boolean {
  let expanded = false;
  if (isAlias(node)) {
    if (walk.expanded.has(node.source) && !isEnvField(schema)) {
      walk.problems.add(at, `*${node.source} holds an expanded \${…}, which is only allowed in ${envPaths()}`);
    }
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "?";
      expanded = visit(pair.value as Node | null, fieldSchema(schema, key), [...at, key], walk) || expanded;
    }
  } else if (isSeq(node)) {
    const item = itemSchema(schema);
    node.items.forEach((child, i) => (expanded = visit(child as Node, item, [...at, i], walk) || expanded));
  } else if (isScalar(node) && typeof node.value === "string" && node.value.includes("${")) {
    if (!isEnvField(schema)) {
      walk.problems.add(at, `\${…} is only expanded in ${envPaths()}`);
      return false;
    }
    node.value = inScope(walk.scope, at) ? expand(node.value, at, walk) : placeholder(node.value);
    expanded = true;
  }
  if (expanded && node && !isAlias(node) && node.anchor) walk.expanded.add(node.anchor);
  return expanded;
}

function expand(value: string, at: (string | number)[], walk: EnvWalk): string {
  return value.replace(ENV_REF, (_m, name: string) => {
    const found = walk.env[name];
    if (found === undefined) {
      walk.problems.add(at, `environment variable ${name} is not set`);
      return "";
    }
    return found;
  });
}

function placeholder(value: string): string {
  const names = [...value.matchAll(ENV_REF)].map((m) => m[1]);
  return `${PLACEHOLDER}${names.join(",") || "?"}`;
}
