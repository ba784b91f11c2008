/**
 * `npm start` on a fresh machine: when REDIS_URL is unset and nothing answers
 * at the configured local address, start a private redis-server (data under
 * ./data, AOF on) if the binary is on PATH; otherwise explain how to get one.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { redactUrl } from "../logger.js";

/** The URL is shown without its password: this goes to stderr and into logs. */
export const NO_REDIS_HELP = (url: string) =>
  `newswatch needs Redis and nothing answers at ${redactUrl(url)}. Install it with your package manager ` +
  `(apt install redis-server, brew install redis, dnf install redis), or run \`docker compose up -d redis\` ` +
  `from this folder, or point newswatch at a running server with REDIS_URL=redis://host:6379 (or redis.url in the config).`;

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

function onPath(binary: string, env: Env): boolean {
  return (env.PATH ?? "").split(path.delimiter).some((dir) => dir !== "" && existsSync(path.join(dir, binary)));
}

type Env = Record<string, string | undefined>;

export interface RedisHandle {
  url: string;
  /** The private server we started, stopped with the service. */
  child: ChildProcess | null;
}

/** Returns the Redis to use, starting a private one when that is what a fresh machine needs. */
export async function ensureRedis(url: string, env: Env, dataDir: string): Promise<RedisHandle> {
  const u = new URL(url);
  const port = Number(u.port || 6379);
  const local = ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
  if (env.REDIS_URL || !local || (await answers(u.hostname.replace(/^\[|\]$/g, ""), port))) return { url, child: null };
  if (!onPath("redis-server", env)) throw new Error(NO_REDIS_HELP(url));
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dataDir, "--appendonly", "yes", "--save", "", "--daemonize", "no"],
    { stdio: "ignore" },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  for (let i = 0; i < 100; i++) {
    if (await answers("127.0.0.1", port, 200)) return { url, child };
    const code = await Promise.race([exited, new Promise<"wait">((r) => setTimeout(() => r("wait"), 100))]);
    if (code !== "wait") throw new Error(`redis-server exited with code ${code}; ${NO_REDIS_HELP(url)}`);
  }
  child.kill("SIGTERM");
  throw new Error(`redis-server did not answer on port ${port} within 10s`);
}

/** Stops the private server; SIGTERM makes Redis flush its AOF and exit. */
export async function stopRedis(handle: RedisHandle): Promise<void> {
  const { child } = handle;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
