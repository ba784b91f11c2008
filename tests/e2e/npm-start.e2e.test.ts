/**
 * `npm start` as a user (or a process manager) runs it: with dist/ up to date
 * it starts without a full TypeScript build, and SIGTERM sent to the npm
 * process reaches the service itself, which stops gracefully and exits 0,
 * leaving no node process behind. The container's health check
 * (scripts/healthcheck.js, which also runs on dist/) is tried on the way.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { freePort } from "../helpers/ports.js";
import { waitFor } from "../helpers/wait-for.js";

const prefix = testPrefix("npmstart");
const dir = mkdtempSync(path.join(os.tmpdir(), "nw-npm-start-"));
const configFile = path.join(dir, "newswatch.yaml");
const noMetricsFile = path.join(dir, "no-metrics.yaml");
let servicePid: number | null = null;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** scripts/healthcheck.js as Docker runs it: the config from NEWSWATCH_CONFIG. */
function healthcheck(config: string, env: Record<string, string> = {}): { code: number | null; out: string } {
  const run = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "scripts/healthcheck.js")], {
    env: { ...process.env, NEWSWATCH_CONFIG: config, REDIS_URL: redisUrl(), ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: run.status, out: run.stdout + run.stderr };
}

beforeAll(async () => {
  writeFileSync(configFile, `redis: { url: ${redisUrl()}, prefix: ${prefix} }\nfeeds: []\nmetrics: { port: ${await freePort()} }\n`);
  writeFileSync(noMetricsFile, `redis: { url: ${redisUrl()}, prefix: ${prefix} }\nfeeds: []\n`);
  // What a first `npm start` does once; the start measured below is the one with nothing changed.
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, "node_modules/typescript/bin/tsc"), "-b", "tsconfig.build.json"], { cwd: PROJECT_ROOT, stdio: "inherit" });
}, 120_000);

afterAll(async () => {
  if (servicePid !== null && alive(servicePid)) process.kill(servicePid, "SIGKILL");
  const redis = connect();
  await dropPrefix(redis, prefix);
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
});

it("starts without rebuilding and stops gracefully on SIGTERM to the npm process", { timeout: 60_000 }, async () => {
  const started = Date.now();
  const npm = spawn("npm", ["start", "--", "--config", configFile], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, REDIS_URL: redisUrl(), NEWSWATCH_CONFIG: undefined, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  npm.stdout.on("data", (d: Buffer) => (out += d.toString()));
  npm.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
  try {
    await waitFor(() => out.includes("newswatch: starting"), { timeout: 30_000, what: "the start line" });
  } catch (err) {
    console.error(out);
    npm.kill("SIGKILL");
    throw err;
  }
  const startMs = Date.now() - started;
  console.info(`npm start: "newswatch: starting" after ${startMs} ms`);
  expect(out).not.toContain("brought up to date");
  expect(startMs).toBeLessThan(15_000);

  // The service logs its own pid; with `exec` in the script it is npm's direct child.
  const line = out.split("\n").find((l) => l.includes("newswatch: starting")) ?? "";
  servicePid = (JSON.parse(line) as { pid: number }).pid;
  expect(servicePid).not.toBe(npm.pid);
  expect(alive(servicePid)).toBe(true);
  await waitFor(() => out.includes("serving /metrics"), { timeout: 10_000, what: "the metrics server" });
  const healthy = healthcheck(configFile);
  expect(healthy.out).toMatch(/^healthy: http:\/\/127\.0\.0\.1:\d+\/healthz: 200 ok$/m);
  expect(healthy.code).toBe(0);

  npm.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(out).toContain("newswatch: SIGTERM received");
  expect(out).toContain("newswatch: stopped");
  const pid = servicePid;
  await waitFor(() => !alive(pid), { timeout: 5_000, what: "the service process to be gone" });
  const down = healthcheck(configFile);
  expect(down.out).toMatch(/^unhealthy: http:\/\/127\.0\.0\.1:\d+\/healthz: connect ECONNREFUSED/m);
  expect(down.code).toBe(1);
});

it("health check without metrics.port: healthy while Redis answers, not when it refuses", () => {
  const up = healthcheck(noMetricsFile);
  expect(up.out).toMatch(/^healthy: metrics\.port is not set.*Redis answered PONG$/m);
  expect(up.code).toBe(0);
  const refused = healthcheck(noMetricsFile, { REDIS_URL: "redis://127.0.0.1:1" });
  expect(refused.out).toMatch(/^unhealthy: .*Redis did not answer a PING: connect ECONNREFUSED 127\.0\.0\.1:1$/m);
  expect(refused.code).toBe(1);
});
