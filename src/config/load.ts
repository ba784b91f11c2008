import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../errors.js";
import { readModel } from "../classify/model.js";
import { DEFAULT_CONFIG_PATH } from "../paths.js";
import { ConfigSchema, type Config } from "./schema.js";


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
    throw new ConfigError(file, [`cannot read file: ${(err as Error).message}`]);
  }
  return { file, config: parseConfig(text, file, env) };
}

/** Parses YAML text into a validated Config; every problem is reported with its key path. */
export function parseConfig(text: string, file: string, env: Env): Config {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw new ConfigError(file, doc.errors.map((e) => e.message));
  const problems: string[] = [];
  substituteEnv(doc.contents, [], env, problems);
  if (problems.length > 0) throw new ConfigError(file, problems);
  const raw: unknown = doc.toJS() ?? {};
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(file, formatIssues(result.error.issues));
  const config = result.data;
  if (env.REDIS_URL) config.redis.url = env.REDIS_URL;
  resolvePaths(config, path.dirname(file));
  const bad = badModels(config);
  if (bad.length > 0) throw new ConfigError(file, bad);
  return config;
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

/** Replaces ${VAR} in every string scalar; a missing variable is a problem naming it and its key. */
function substituteEnv(node: Node | null, at: (string | number)[], env: Env, problems: string[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "?";
      substituteEnv(pair.value as Node | null, [...at, key], env, problems);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => substituteEnv(item as Node, [...at, i], env, problems));
  } else if (isScalar(node) && typeof node.value === "string") {
    node.value = node.value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
      const value = env[name];
      if (value === undefined) {
        problems.push(`${keyPath(at)}: environment variable ${name} is not set`);
        return "";
      }
      return value;
    });
  }
}

function keyPath(at: readonly PropertyKey[]): string {
  return at.length === 0 ? "(root)" : at.map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`)).join("").replace(/^\./, "");
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === "unrecognized_keys") return `${keyPath(issue.path)}: unknown key(s) ${issue.keys.join(", ")}`;
    return `${keyPath(issue.path)}: ${issue.message}`;
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
