/**
 * redis-server processes a test starts for a topology of its own (a Cluster,
 * a Sentinel group): each on a free loopback port in a temp dir of its own,
 * asked through redis-cli, and killed with its dir removed however the test ends.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { answers } from "../../src/service/redis-autostart.js";
import { freePort } from "./ports.js";
import { HAS_REDIS_SERVER } from "./redis-server.js";
import { waitFor } from "./wait-for.js";

const run = promisify(execFile);

/** redis-server and redis-cli are both on PATH. */
export const HAS_REDIS_TOOLS = HAS_REDIS_SERVER && spawnSync("redis-cli", ["--version"], { stdio: "ignore" }).status === 0;

/** Warns once, in one line, when a file's tests are skipped for want of redis-server or redis-cli. */
export function warnIfNoRedisTools(what: string): void {
  if (!HAS_REDIS_TOOLS) console.warn(`skipping ${what}: redis-server or redis-cli is not on PATH`);
}

export interface RedisProcess {
  port: number;
  dir: string;
  child: ChildProcess;
}

// Killed on the way out too, should a test file's worker end before its afterAll.
const running = new Set<RedisProcess>();
process.once("exit", () => {
  for (const p of running) p.child.kill("SIGKILL");
});

/**
 * Starts `redis-server` with `args(port, dir)` and waits until it accepts
 * connections. `args` gets the dir so that a config file can be written there first.
 */
export async function startRedisProcess(label: string, args: (port: number, dir: string) => string[]): Promise<RedisProcess> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), `nw-${label}-`));
  const child = spawn("redis-server", args(port, dir), { cwd: dir, stdio: "ignore" });
  const proc: RedisProcess = { port, dir, child };
  running.add(proc);
  await waitFor(() => child.exitCode === null && answers("127.0.0.1", port, 200), { timeout: 10_000, what: `${label} redis-server on port ${port}` });
  return proc;
}

/** SIGKILLs the processes (no data is kept), waits for their exits, removes their dirs. */
export async function killRedisProcesses(procs: Iterable<RedisProcess>): Promise<void> {
  await Promise.all(
    [...procs].map(async (p) => {
      running.delete(p);
      if (p.child.exitCode === null && p.child.signalCode === null) {
        const exited = new Promise((resolve) => p.child.once("exit", resolve));
        p.child.kill("SIGKILL");
        await exited;
      }
      rmSync(p.dir, { recursive: true, force: true });
    }),
  );
}

/** One redis-cli command against a loopback port; its raw reply. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], { timeout: 15_000 });
  return stdout;
}

/** The value of `name` in an INFO-style reply (`name:value` lines); undefined when absent. */
export function infoField(reply: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, "m").exec(reply)?.[1]?.trim();
}

/** A condition that counts a failed redis-cli call (a node restarting its links) as not yet. */
export function soft(check: () => Promise<boolean>): () => Promise<boolean> {
  return () => check().catch(() => false);
}
