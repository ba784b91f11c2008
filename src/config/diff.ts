/**
 * What changed between two configs, as short lines for a log or `newswatch
 * check`: "feed added https://…", "topic iran-china-defense keywords
 * changed", "webhook ops added", "defaults.interval changed (600000 → 300000)".
 * Pure. Values of fields read from the environment (secrets, URLs with
 * tokens) are never shown, only that they changed; feed URLs are shown with
 * their user and password blanked.
 *
 * redis.* and metrics.* are listed apart: the service keeps one Redis
 * connection and one metrics server for its life, so those need a restart.
 */
import { redactUrl, safeLine } from "../logger.js";
import { isEnvField } from "./env-field.js";
import type { FileDigests } from "./files.js";
import type { Config } from "./schema.js";
import { ConfigSchema } from "./schema.js";
import { schemaAt } from "./schema-walk.js";
import { emailName, webhookName } from "./sections/alerts.js";

export interface ConfigDiff {
  /** One short line per change that a reload applies. */
  changes: string[];
  /** Changes that only a restart applies (the running values stay). */
  restart: string[];
  /** Top-level keys with a change in `changes` (a changed reference or model file counts as `reference` / `topics`). */
  sections: Set<string>;
}

/** Sections held for the life of the process. */
const RESTART_SECTIONS: readonly string[] = ["redis", "metrics"];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function show(value: unknown): string {
  const text = value === undefined ? "unset" : typeof value === "string" ? value : JSON.stringify(value);
  return safeLine(text.length > 60 ? `${text.slice(0, 57)}…` : text);
}

/** `key changed (old → new)`, or without the values for a field read from the environment or too big to show. */
function setting(at: string[], before: unknown, after: unknown): string {
  const name = at.join(".");
  const secret = isEnvField(schemaAt(ConfigSchema, at));
  const scalar = (v: unknown) => v === undefined || v === null || typeof v !== "object";
  if (secret || !scalar(before) || !scalar(after)) return `${name} changed`;
  return `${name} changed (${show(before)} → ${show(after)})`;
}

/** Keys of two records whose values differ (either side may lack the key). */
function changedKeys(a: object | undefined, b: object | undefined): string[] {
  const x = (a ?? {}) as Record<string, unknown>;
  const y = (b ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => !same(x[k], y[k]));
}

type Phrase = (name: string, change: "added" | "removed" | string[]) => string;

/** `webhook ops added`, `topic x keywords, frame changed` … */
const named =
  (kind: string): Phrase =>
  (name, change) =>
    typeof change === "string" ? `${kind} ${name} ${change}` : `${kind} ${name} ${change.join(", ")} changed`;

/** Added, removed and changed members of two lists keyed by `key`, each phrased by `phrase`. */
function listDiff<T extends object>(before: readonly T[], after: readonly T[], key: (t: T, i: number) => string, phrase: Phrase): string[] {
  const a = new Map(before.map((t, i) => [key(t, i), t]));
  const b = new Map(after.map((t, i) => [key(t, i), t]));
  const out: string[] = [];
  for (const [k, t] of b) {
    const old = a.get(k);
    if (!old) out.push(phrase(k, "added"));
    else if (!same(old, t)) out.push(phrase(k, changedKeys(old, t)));
  }
  for (const k of a.keys()) if (!b.has(k)) out.push(phrase(k, "removed"));
  return out;
}

function alertsDiff(a: Config["alerts"], b: Config["alerts"]): string[] {
  const out = listDiff(a.webhooks, b.webhooks, webhookName, named("webhook"));
  const email = (e: Config["alerts"]["email"]) => (e ? [e] : []);
  out.push(...listDiff(email(a.email), email(b.email), emailName, named("email channel")));
  const file = (f: Config["alerts"]["file"]) => (f ? [f] : []);
  out.push(...listDiff(file(a.file), file(b.file), () => "file", named("channel")));
  for (const k of changedKeys(a, b)) if (!["webhooks", "email", "file"].includes(k)) out.push(setting(["alerts", k], a[k as keyof typeof a], b[k as keyof typeof b]));
  return out;
}

function sectionDiff(section: string, a: unknown, b: unknown): string[] {
  const object = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!object(a) || !object(b)) return [setting([section], a, b)];
  return changedKeys(a as object, b as object).map((k) => setting([section, k], (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `feed added https://…`, `feed removed …`, `feed https://… interval changed`, credentials blanked. */
const feedPhrase: Phrase = (url, change) => {
  const shown = safeLine(redactUrl(url));
  return typeof change === "string" ? `feed ${change} ${shown}` : `feed ${shown} ${change.join(", ")} changed`;
};
const referencePhrase: Phrase = (file, change) => `reference ${change === "added" || change === "removed" ? change : "changed"} ${file}`;
const asFiles = (list: readonly string[]) => list.map((file) => ({ file }));

function filesDiff(before: FileDigests, after: FileDigests, config: Config): { lines: string[]; sections: string[] } {
  const changed = [...after].filter(([file, digest]) => before.has(file) && before.get(file) !== digest).map(([file]) => file);
  const lines: string[] = [];
  const sections: string[] = [];
  for (const file of changed) {
    const topic = config.topics.find((t) => t.model === file);
    lines.push(topic ? `topic ${topic.id} model file changed` : `reference changed ${file}`);
    sections.push(topic ? "topics" : "reference");
  }
  return { lines, sections };
}

export function diffConfig(before: Config, after: Config, files?: { before: FileDigests; after: FileDigests }): ConfigDiff {
  const changes: string[] = [];
  const restart: string[] = [];
  const sections = new Set<string>();
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== "$schema");
  for (const key of keys) {
    const a = before[key as keyof Config];
    const b = after[key as keyof Config];
    if (same(a, b)) continue;
    if (RESTART_SECTIONS.includes(key)) {
      restart.push(...sectionDiff(key, a, b));
      continue;
    }
    sections.add(key);
    if (key === "feeds") changes.push(...listDiff(before.feeds, after.feeds, (f) => f.url, feedPhrase));
    else if (key === "topics") changes.push(...listDiff(before.topics, after.topics, (t) => t.id, named("topic")));
    else if (key === "reference") changes.push(...listDiff(asFiles(before.reference), asFiles(after.reference), (r) => r.file, referencePhrase));
    else if (key === "alerts") changes.push(...alertsDiff(before.alerts, after.alerts));
    else changes.push(...sectionDiff(key, a, b));
  }
  if (files) {
    const { lines, sections: touched } = filesDiff(files.before, files.after, after);
    changes.push(...lines);
    for (const s of touched) sections.add(s);
  }
  return { changes, restart, sections };
}
