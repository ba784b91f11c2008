/**
 * A redis-server of a test's own on a free loopback port, for tests that stop,
 * restart or lock down Redis (the shared one must never be). With `aof`, its
 * data survives a stop and start, as a production Redis's does.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { answers } from "../../src/service/redis-autostart.js";
import { freePort } from "./ports.js";
import { waitFor } from "./wait-for.js";

export const HAS_REDIS_SERVER = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;

/** Warns once, in one line, when a file's tests are skipped for want of redis-server. */
export function warnIfNoRedisServer(what: string): void {
  if (!HAS_REDIS_SERVER) console.warn(`skipping ${what}: redis-server is not on PATH`);
}

export interface OwnRedisOptions {
  /** Keep data across stop/start in an append-only file. @defaultValue false */
  aof?: boolean;
  /** More redis-server arguments (e.g. ["--requirepass", "pw"]). */
  args?: string[];
}

export interface OwnRedis {
  port: number;
  url: string;
  dir: string;
  start(): Promise<void>;
  /** SIGTERM (Redis writes its AOF) and wait for the exit. */
  stop(): Promise<void>;
}

export async function ownRedisServer(options: OwnRedisOptions = {}): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "nw-own-redis-"));
  const persistence = options.aof ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", ...persistence, ...(options.args ?? [])];
  let child: ChildProcess | null = null;
  const server: OwnRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    async start() {
      child = spawn("redis-server", args, { stdio: "ignore" });
      await waitFor(() => answers("127.0.0.1", port, 200), { timeout: 10_000, what: `redis-server on port ${port}` });
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGTERM");
      await exited;
    },
  };
  await server.start();
  return server;
}
