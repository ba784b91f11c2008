/**
 * When `newswatch run` may start a private redis-server. It is for a first
 * try on a laptop, never a stand-in for a Redis that is briefly down: an
 * empty Redis has no delivery records, so every alert would go out again,
 * and it would hold the port the real server needs to come back. So it is
 * started only when
 *  - asked for with --private-redis, on an address no config names; or
 *  - nothing answers at the default address, no config names a Redis
 *    (REDIS_URL unset, no redis.url in the config file), and ./data holds no
 *    marker of a real Redis: the service leaves one there whenever it runs
 *    against a Redis at the default address that it did not start.
 * In every other case the service waits for the Redis it was given.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { RedisSection } from "../config/sections/redis.js";
import { redactUrl } from "../logger.js";
import { DEFAULT_CONFIG_PATH } from "../paths.js";
import type { RedisClient } from "../queues/connection.js";
import { GET_REDIS } from "./redis-autostart.js";

/** The schema's default redis.url. */
const DEFAULT_REDIS_URL = RedisSection.parse(undefined).url;

/** Written in the data folder when a Redis the service did not start has owned its state. */
export const EXTERNAL_REDIS_MARKER = "external-redis.txt";

export interface RedisPlanInput {
  url: string;
  /** --private-redis */
  asked: boolean;
  /** What names the Redis (REDIS_URL, redis.url in a file), or null when the default is used. */
  namedBy: string | null;
  /** Something answers at the URL's port (only looked at for a loopback URL). */
  answers: boolean;
  /** The marker file, when the data folder has one. */
  marker: string | null;
  /** redis-server is on PATH. */
  binary: boolean;
}

export type RedisPlan =
  | { action: "connect" }
  | { action: "wait"; why: string }
  | { action: "start"; why: string }
  | { action: "refuse"; why: string };

export function planRedis(input: RedisPlanInput): RedisPlan {
  const where = redactUrl(input.url);
  if (input.asked) {
    if (input.namedBy) return { action: "refuse", why: `--private-redis: ${input.namedBy} names a Redis (${where}), and a private server never takes a configured Redis's port; drop the flag or that setting` };
    if (input.answers) return { action: "refuse", why: `--private-redis: something already answers at ${where}; stop it, or run without --private-redis to use it` };
    return { action: "start", why: "--private-redis asks for it" };
  }
  if (input.answers) return { action: "connect" };
  if (input.namedBy) return { action: "wait", why: `${input.namedBy} names this Redis` };
  if (input.marker) return { action: "wait", why: `${input.marker} says a Redis of your own has held this folder's state (delete that file, or run with --private-redis, to start a private one)` };
  if (!input.binary) return { action: "wait", why: `redis-server is not on PATH to start a private one. ${GET_REDIS}` };
  return { action: "start", why: "neither REDIS_URL nor redis.url names a Redis, and ./data holds no state of another one" };
}

/**
 * What names the Redis to use: REDIS_URL, or a redis.url key in the config
 * file. The shipped config/default.yaml spells out the default address for
 * the reader; that line, unchanged, names nothing.
 */
export function redisNamedBy(env: Record<string, string | undefined>, configFile: string, url: string): string | null {
  if (env.REDIS_URL) return "REDIS_URL";
  let named: boolean;
  try {
    named = parseDocument(readFileSync(configFile, "utf8")).hasIn(["redis", "url"]);
  } catch {
    named = true; // unreadable now: assume the safe answer
  }
  if (!named) return null;
  if (path.resolve(configFile) === DEFAULT_CONFIG_PATH && url === DEFAULT_REDIS_URL) return null;
  return `redis.url in ${configFile}`;
}

/** The marker's path when the data folder has one. */
export function readMarker(dataDir: string): string | null {
  const file = path.join(dataDir, EXTERNAL_REDIS_MARKER);
  return existsSync(file) ? file : null;
}

export function writeMarker(dataDir: string, url: string, now: Date = new Date()): void {
  const file = path.join(dataDir, EXTERNAL_REDIS_MARKER);
  if (existsSync(file)) return;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    file,
    `newswatch ran here against the Redis at ${redactUrl(url)} on ${now.toISOString()}, a server it did not start.\n` +
      `Its delivery records live there, so while this file exists \`newswatch run\` waits for that Redis\n` +
      `rather than start an empty private one (which would send every alert again). Delete this file,\n` +
      `or run with --private-redis, to allow a private redis-server.\n`,
  );
}

/** Whether the Redis on this client is the private server of this data folder (its `dir`). */
export async function isPrivateServer(client: RedisClient, dataDir: string): Promise<boolean> {
  try {
    const reply = (await client.config("GET", "dir")) as unknown;
    return Array.isArray(reply) && typeof reply[1] === "string" && path.resolve(reply[1]) === path.resolve(dataDir);
  } catch {
    return false; // CONFIG refused: a managed or locked-down server, not ours
  }
}
