/**
 * The private redis-server of `npm start` on a fresh machine: data under
 * ./data, AOF on, bound to loopback, stopped with the service. Whether one
 * may be started at all is decided in private-redis.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { StartupError } from "../errors.js";
import { redactUrl } from "../logger.js";

export const GET_REDIS =
  "Install it with your package manager (apt install redis-server, brew install redis, dnf install redis), " +
  "or run `docker compose up -d redis` from this folder, or point newswatch at a running server with " +
  "REDIS_URL=redis://host:6379 (or redis.url in the config).";

/** The URL is shown without its password: this goes to stderr and into logs. */
export const NO_REDIS_HELP = (url: string) => `newswatch needs Redis and nothing answers at ${redactUrl(url)}. ${GET_REDIS}`;

export function answers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export function redisServerOnPath(env: Env): boolean {
  return (env.PATH ?? "").split(path.delimiter).some((dir) => dir !== "" && existsSync(path.join(dir, "redis-server")));
}

/** Host and port of a redis:// URL, and whether it is this machine. */
export function redisAddress(url: string): { host: string; port: number; loopback: boolean } {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, "");
  return { host, port: Number(u.port || 6379), loopback: ["127.0.0.1", "localhost", "::1"].includes(host) };
}

type Env = Record<string, string | undefined>;

export interface RedisHandle {
  url: string;
  /** The private server we started, stopped with the service. */
  child: ChildProcess | null;
}

/**
 * The Redis at a loopback URL, started privately unless something answers
 * there already (looked at again just before, as another process may have
 * started one meanwhile). `env` gives the PATH to find redis-server on.
 */
/** How long a private redis-server may take to answer (loading a large AOF takes a while). */
const START_WAIT_MS = 10_000;

export async function ensureRedis(url: string, env: Env, dataDir: string): Promise<RedisHandle> {
  const { host, port } = redisAddress(url);
  if (await answers(host, port)) return { url, child: null };
  if (!redisServerOnPath(env)) throw new StartupError(NO_REDIS_HELP(url));
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dataDir, "--appendonly", "yes", "--save", "", "--daemonize", "no"],
    // The PATH it was found on is the one it is run from.
    { stdio: ["ignore", "pipe", "ignore"], env },
  );
  // Its last line says why it stopped ("Address already in use"); nothing else of its log is kept.
  let lastLine = "";
  child.stdout?.on("data", (d: Buffer) => (lastLine = d.toString().trim().split("\n").pop() ?? lastLine));
  // A binary on PATH that cannot be run (EACCES) emits "error", not "exit": either ends the wait with a StartupError.
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code) => resolve(`redis-server exited with code ${code}: ${lastLine || "no message"}`));
    child.once("error", (err) => resolve(`redis-server could not be started: ${err.message}`));
  });
  const until = Date.now() + START_WAIT_MS;
  while (Date.now() < until) {
    if (await answers("127.0.0.1", port, 200)) {
      child.stdout?.removeAllListeners("data").resume();
      return { url, child };
    }
    const ended = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
    if (ended !== null) throw new StartupError(ended);
  }
  child.kill("SIGTERM");
  throw new StartupError(`redis-server did not answer on port ${port} within ${START_WAIT_MS / 1000} s`);
}

/** Stops the private server; SIGTERM makes Redis flush its AOF and exit. */
export async function stopRedis(handle: RedisHandle): Promise<void> {
  const { child } = handle;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
