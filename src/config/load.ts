import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../errors.js";
import { readModel } from "../classify/model.js";
import { redactText, safeLine } from "../logger.js";
import { DEFAULT_CONFIG_PATH } from "../paths.js";
import { printable } from "../printable.js";
import { envFieldPaths, fieldSchema, isEnvField, itemSchema } from "./env-field.js";
import { ConfigSchema, type Config } from "./schema.js";

type Schema = z.core.$ZodType;

export interface LoadedConfig {
  file: string;
  config: Config;
}

type Env = Record<string, string | undefined>;

/** Chooses the config file: --config flag, then NEWSWATCH_CONFIG, then config/default.yaml. */
export function configPath(flag: string | undefined, env: Env): string {
  return path.resolve(flag ?? env.NEWSWATCH_CONFIG ?? DEFAULT_CONFIG_PATH);
}

export function loadConfig(file: string, env: Env = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw configError(file, [`cannot read file: ${(err as Error).message}`]);
  }
  return { file, config: parseConfig(text, file, env) };
}

/** Parses YAML text into a validated Config; every problem is reported with its key path. */
export function parseConfig(text: string, file: string, env: Env): Config {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw configError(file, doc.errors.map((e) => e.message));
  const problems: string[] = [];
  substituteEnv(doc.contents, ConfigSchema, [], { env, problems, expanded: new Set() });
  if (problems.length > 0) throw configError(file, problems);
  const raw: unknown = doc.toJS() ?? {};
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) throw configError(file, formatIssues(result.error.issues));
  const config = result.data;
  if (env.REDIS_URL) config.redis.url = env.REDIS_URL;
  resolvePaths(config, path.dirname(file));
  const bad = badModels(config);
  if (bad.length > 0) throw configError(file, bad);
  return config;
}

/**
 * A ConfigError whose problems are fit for a terminal: a YAML error quotes the
 * offending line (perhaps a URL with its password) and a key may be anything.
 */
function configError(file: string, problems: string[]): ConfigError {
  return new ConfigError(file, problems.map((p) => printable(redactText(p), { multiline: true })));
}

/** Each topic's model file must read and validate now, not at the first story. */
function badModels(config: Config): string[] {
  const problems: string[] = [];
  config.topics.forEach((topic, i) => {
    if (topic.model === undefined) return;
    try {
      readModel(topic.model);
    } catch (err) {
      problems.push(`topics[${i}].model: ${(err as Error).message}`);
    }
  });
  return problems;
}

/** Where `newswatch train` writes a topic's model and the loader looks for it: models/<topic id>.json beside the config. */
export function topicModelPath(configFile: string, topicId: string): string {
  return conventionalModel(path.dirname(configFile), topicId);
}

const conventionalModel = (configDir: string, topicId: string) => path.join(configDir, "models", `${topicId}.json`);

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
let envPathList: string | undefined;
const envPaths = () => (envPathList ??= envFieldPaths(ConfigSchema).join(", "));

interface EnvWalk {
  env: Env;
  problems: string[];
  /** Anchors of nodes that hold an expanded value: an alias must not carry it to a field that takes none. */
  expanded: Set<string>;
}

/**
 * Replaces ${VAR} in the string values the schema marks fromEnv (env-field.ts),
 * walking the YAML beside the schema; a missing variable is a problem naming
 * it and its key. `${` in any other value is a problem too, as is an alias
 * there to an expanded value: either could hand a secret to a feed's server
 * or into an alert. Returns whether anything under the node was expanded.
 */
function substituteEnv(node: Node | null, schema: Schema | null, at: (string | number)[], walk: EnvWalk): boolean {
  let expanded = false;
  if (isAlias(node)) {
    if (walk.expanded.has(node.source) && !isEnvField(schema)) {
      walk.problems.push(`${keyPath(at)}: *${node.source} holds an expanded \${…}, which is only allowed in ${envPaths()}`);
    }
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "?";
      expanded = substituteEnv(pair.value as Node | null, fieldSchema(schema, key), [...at, key], walk) || expanded;
    }
  } else if (isSeq(node)) {
    const item = itemSchema(schema);
    node.items.forEach((child, i) => (expanded = substituteEnv(child as Node, item, [...at, i], walk) || expanded));
  } else if (isScalar(node) && typeof node.value === "string" && node.value.includes("${")) {
    if (!isEnvField(schema)) {
      walk.problems.push(`${keyPath(at)}: \${…} is only expanded in ${envPaths()}`);
      return false;
    }
    node.value = node.value.replace(ENV_REF, (_m, name: string) => {
      const value = walk.env[name];
      if (value === undefined) {
        walk.problems.push(`${keyPath(at)}: environment variable ${name} is not set`);
        return "";
      }
      return value;
    });
    expanded = true;
  }
  if (expanded && node && !isAlias(node) && node.anchor) walk.expanded.add(node.anchor);
  return expanded;
}

function keyPath(at: readonly PropertyKey[]): string {
  return at.length === 0 ? "(root)" : at.map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`)).join("").replace(/^\./, "");
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === "unrecognized_keys") return safeLine(`${keyPath(issue.path)}: unknown key(s) ${issue.keys.join(", ")}`);
    return safeLine(`${keyPath(issue.path)}: ${issue.message}`);
  });
}

/** Paths in the config are relative to the config file's folder. */
function resolvePaths(config: Config, base: string): Config {
  const abs = (p: string) => path.resolve(base, p);
  config.reference = config.reference.map(abs);
  for (const topic of config.topics) {
    const conventional = conventionalModel(base, topic.id);
    if (topic.model !== undefined) topic.model = abs(topic.model);
    else if (existsSync(conventional)) topic.model = conventional;
  }
  const { alerts } = config;
  if (alerts.file) alerts.file.path = abs(alerts.file.path);
  // With no channel configured, alerts still land somewhere: the JSONL file under ./data.
  else if (alerts.webhooks.length === 0 && !alerts.email) alerts.file = { path: path.resolve("data", "alerts.jsonl") };
  return config;
}
