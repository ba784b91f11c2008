/**
 * A start-up that cannot finish ends the process: exit ≠ 0 within 10 s with
 * one clear line and no stack, instead of a process that stays up doing
 * nothing. Each case runs the real CLI against a redis-server of this file's own.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/ports.js";
import { HAS_REDIS_SERVER, ownRedisServer, warnIfNoRedisServer, type OwnRedis } from "../helpers/redis-server.js";
import { exitWithin, lines, spawnCli, stackLines } from "../helpers/service-process.js";

warnIfNoRedisServer("the start-up failure tests");

const dir = mkdtempSync(path.join(os.tmpdir(), "nw-startup-"));
const config = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** Runs `newswatch run` and expects it to fail by itself within 10 s; returns its output. */
async function failsFast(args: string[], env: Record<string, string | undefined>): Promise<string> {
  const started = Date.now();
  const service = spawnCli(["run", ...args], { LOG_LEVEL: "info", ...env });
  try {
    const code = await exitWithin(service, 10_000);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
    return service.output();
  } catch (err) {
    console.error(service.output());
    throw err;
  } finally {
    await service.stop("SIGKILL");
  }
}

describe.runIf(HAS_REDIS_SERVER)("start-up failures", () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await ownRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("exits 1 with one line when metrics.port is taken", async () => {
    const taken = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => taken.listen(port, "127.0.0.1", r));
    try {
      const file = config("metrics.yaml", `redis: { prefix: nwtest-startup }\nfeeds: []\nmetrics: { port: ${port} }\n`);
      const out = await failsFast(["--stages", "classify", "--config", file], { REDIS_URL: redis.url });
      const said = lines(out).filter((l) => l.includes("cannot start"));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(new RegExp(`EADDRINUSE|in use.*${port}|${port}.*in use`));
      expect(stackLines(out)).toEqual([]);
    } finally {
      taken.close();
    }
  });

  it("exits non-zero when a reference file is missing", async () => {
    const file = config("reference.yaml", "redis: { prefix: nwtest-startup }\nfeeds: []\nreference: [no-such-article.yaml]\n");
    const out = await failsFast(["--config", file], { REDIS_URL: redis.url });
    expect(out).toContain("no-such-article.yaml");
    expect(stackLines(out)).toEqual([]);
  });

  it("refuses --private-redis where REDIS_URL names a Redis, without starting one", async () => {
    const file = config("private.yaml", "redis: { prefix: nwtest-startup }\nfeeds: []\n");
    const out = await failsFast(["--stages", "classify", "--private-redis", "--config", file], { REDIS_URL: redis.url });
    expect(lines(out)).toEqual([expect.stringMatching(/^newswatch: cannot start: --private-redis: REDIS_URL names a Redis \(redis:\/\/127\.0\.0\.1:\d+\)/)]);
  });
});
