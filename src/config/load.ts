/**
 * Loads a config file: YAML (a byte order mark allowed), `${VAR}` expanded
 * in the sections asked for (env.ts), the zod schema, paths made absolute,
 * and the reference and model files checked by the caller's check (files.ts:
 * their formats belong to the stages, above config). Every problem is
 * reported at once, each with its line and key path (problems.ts), and an
 * unknown key with the key it most likely meant.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigError, coerceError } from "../errors.js";
import { DEFAULT_CONFIG_PATH } from "../paths.js";
import { expandEnv, isPlaceholder, type EnvScope } from "./env.js";
import { digest, type FileCheck, type FileDigests } from "./files.js";
import { ProblemList } from "./problems.js";
import { ConfigSchema, type Config } from "./schema.js";
import { objectKeys, schemaAt } from "./schema-walk.js";
import { didYouMean } from "./suggest.js";

export { formatIssues } from "./issues.js";
export { unresolvedFields, type EnvScope } from "./env.js";

export interface LoadedConfig {
  file: string;
  config: Config;
  /** Digests of the reference and model files, read when the config loaded (with LoadOptions.checkFiles). */
  files?: FileDigests;
  /** Digest of the config text, so a watcher can tell an edit from an unrelated file event. */
  digest: string;
}

export interface LoadOptions {
  /**
   * Top-level sections whose `${VAR}`s are expanded; the others keep
   * placeholders and the config is partial (unresolvedFields). Commands that
   * only read Redis ask for `["redis"]`.
   * @defaultValue "all"
   */
  env?: EnvScope;
  /**
   * Reads the reference and model files the config names, each failure a
   * problem at its key path: service/config-file-check.ts, which every
   * command and the service pass. Without it the files are not read.
   */
  checkFiles?: FileCheck;
}

type Env = Record<string, string | undefined>;

/** Chooses the config file: --config flag, then NEWSWATCH_CONFIG, then config/default.yaml. */
export function configPath(flag: string | undefined, env: Env): string {
  return path.resolve(flag ?? env.NEWSWATCH_CONFIG ?? DEFAULT_CONFIG_PATH);
}

export function loadConfig(file: string, env: Env = process.env, options: LoadOptions = {}): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(file, [`cannot read file: ${coerceError(err).message}`]);
  }
  return parseConfigFile(text, file, env, options);
}

/** Parses YAML text into a validated Config; every problem is reported with its key path and line. */
export function parseConfig(text: string, file: string, env: Env, options: LoadOptions = {}): Config {
  return parseConfigFile(text, file, env, options).config;
}

function parseConfigFile(text: string, file: string, env: Env, options: LoadOptions = {}): LoadedConfig {
  // An editor's byte order mark is not part of line 1's first key.
  const source = text.replace(/^\uFEFF/, "");
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const problems = new ProblemList(file, doc, lineCounter);
  for (const e of doc.errors) problems.addAt(e.pos[0], e.message);
  problems.throwIfAny();
  expandEnv(doc, env, options.env ?? "all", problems);
  problems.throwIfAny();
  const raw = withMetricsPort(doc.toJS() ?? {}, env, problems);
  problems.throwIfAny();
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    addIssues(problems, result.error.issues, raw);
    throw problems.error();
  }
  const config = result.data;
  if (env.REDIS_URL) {
    const other = config.redis.cluster ? "cluster" : config.redis.sentinel ? "sentinel" : null;
    if (other) problems.add(["redis", other], `REDIS_URL is set and redis.${other} is given; use exactly one of them (unset REDIS_URL for a ${other})`);
    else config.redis.url = env.REDIS_URL;
    problems.throwIfAny();
  }
  resolvePaths(config, path.dirname(file));
  const files = options.checkFiles?.(config, (at, message) => problems.add(at, message));
  problems.throwIfAny();
  return { file, config, ...(files && { files }), digest: digest(text) };
}

/**
 * NEWSWATCH_METRICS_PORT sets metrics.port, as REDIS_URL sets redis.url, so
 * that the Docker image serves /healthz for its health check without a config
 * of its own. Set before validation: metrics' own rules (a token off loopback) still apply.
 */
function withMetricsPort(raw: unknown, env: Env, problems: ProblemList): unknown {
  const port = env.NEWSWATCH_METRICS_PORT;
  if (port === undefined || port === "" || raw === null || typeof raw !== "object") return raw;
  if (!/^\d{1,5}$/.test(port)) {
    problems.addAt(undefined, `NEWSWATCH_METRICS_PORT: expected a port number, got "${port}"`);
    return raw;
  }
  const r = raw as Record<string, unknown>;
  const metrics = typeof r.metrics === "object" && r.metrics !== null ? r.metrics : {};
  return { ...r, metrics: { ...metrics, port: Number(port) } };
}

function valueAt(raw: unknown, at: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const step of at) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[step] : undefined;
  return v;
}

/** An unknown key becomes one problem per key, at the key, with the nearest allowed key when it looks like a typo. */
function addIssues(problems: ProblemList, issues: readonly z.core.$ZodIssue[], raw: unknown): void {
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") {
      // Every fromEnv field takes a placeholder today (a unit test holds it so); should one stop, say why.
      const value = valueAt(raw, issue.path);
      const why = isPlaceholder(value) ? " (it holds a ${VAR} this command does not expand)" : "";
      const message = issue.code === "invalid_type" && value === undefined ? `required (expected ${issue.expected})` : issue.message;
      problems.add(issue.path, `${message}${why}`);
      continue;
    }
    const allowed = objectKeys(schemaAt(ConfigSchema, issue.path));
    for (const key of issue.keys) {
      const near = didYouMean(key, allowed);
      const hint = near ? ` — did you mean "${near}"?` : allowed.length > 0 ? ` (expected one of: ${allowed.join(", ")})` : "";
      problems.add([...issue.path, key], `unknown key${hint}`, { key: true });
    }
  }
}

/** Where `newswatch train` writes a topic's model and the loader looks for it: models/<topic id>.json beside the config. */
export function topicModelPath(configFile: string, topicId: string): string {
  return conventionalModel(path.dirname(configFile), topicId);
}

const conventionalModel = (configDir: string, topicId: string) => path.join(configDir, "models", `${topicId}.json`);

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
