/**
 * The maxmemory-policy check, against a private redis-server of this test's
 * own: the shared test Redis must keep its policy, so it is never changed.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis, type Redis } from "../../src/queues/connection.js";
import { startMetricsServer } from "../../src/service/metrics.js";
import { checkEvictionPolicy, EvictionPolicyError, readEvictionPolicy } from "../../src/service/redis-policy.js";
import { HAS_REDIS_SERVER, ownRedisServer, warnIfNoRedisServer, type OwnRedis } from "../helpers/redis-server.js";
import { exitWithin, spawnCli } from "../helpers/service-process.js";
import { waitFor } from "../helpers/wait-for.js";

warnIfNoRedisServer("the maxmemory-policy tests");


/** A logger whose lines the test reads. */
function capturedLog() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString()));
  return { log: pino({ level: "warn" }, stream), text: () => text };
}

describe.runIf(HAS_REDIS_SERVER)("Redis maxmemory-policy", () => {
  let server: OwnRedis;
  let url: string;
  let redis: Redis;
  let limited: Redis;

  beforeAll(async () => {
    server = await ownRedisServer({ args: ["--maxmemory-policy", "allkeys-lru"] });
    url = server.url;
    redis = createRedis(url);
    // A user without CONFIG, as on a managed Redis.
    await redis.acl("SETUSER", "limited", "on", ">pw", "~*", "&*", "+@all", "-config");
    limited = createRedis(`redis://limited:pw@127.0.0.1:${server.port}`);
  });

  afterAll(async () => {
    await Promise.all([redis?.quit(), limited?.quit()]);
    await server?.stop();
  });

  it("reads the policy, or why it cannot", async () => {
    expect(await readEvictionPolicy(redis)).toEqual({ policy: "allkeys-lru", error: null });
    expect(await readEvictionPolicy(limited)).toMatchObject({ policy: null, error: expect.stringMatching(/NOPERM/) });
  });

  it("refuses an evicting policy unless allowEviction is set", async () => {
    const { log, text } = capturedLog();
    const refused = await checkEvictionPolicy(redis, { allowEviction: false, log }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EvictionPolicyError);
    expect((refused as Error).message).toMatch(/maxmemory-policy is allkeys-lru, but newswatch needs noeviction.*redis\.allowEviction: true/);
    expect(await checkEvictionPolicy(redis, { allowEviction: true, log })).toBe("allkeys-lru");
    expect(text()).toContain("running anyway (redis.allowEviction)");
  });

  it("warns and goes on when CONFIG is not allowed", async () => {
    const { log, text } = capturedLog();
    expect(await checkEvictionPolicy(limited, { allowEviction: false, log })).toBeNull();
    expect(text()).toMatch(/could not read maxmemory-policy.*NOPERM/);
  });

  it("reports the policy in /healthz", async () => {
    for (const [client, expected] of [
      [redis, /^ok\nredis maxmemory-policy: allkeys-lru\n$/],
      [limited, /^ok\nredis maxmemory-policy: unknown \(NOPERM/],
    ] as const) {
      const metrics = await startMetricsServer(new Registry(), client, 0, "127.0.0.1");
      try {
        const res = await fetch(`${metrics.url}/healthz`);
        expect(res.status).toBe(200);
        expect(await res.text()).toMatch(expected);
      } finally {
        await metrics.close();
      }
    }
  });

  it("makes `newswatch run` exit with the reason, and run with redis.allowEviction", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nw-policy-cli-"));
    const config = path.join(dir, "config.yaml");
    const env = { REDIS_URL: url, LOG_LEVEL: "info" };
    writeFileSync(config, "redis: { prefix: nwtest-policy }\n");
    const refused = spawnCli(["run", "--stages", "classify", "--config", config], env);
    expect(await exitWithin(refused, 20_000)).toBe(1);
    expect(refused.output()).toContain("redis: maxmemory-policy is allkeys-lru, but newswatch needs noeviction");
    expect(refused.output()).not.toContain("newswatch: starting");

    writeFileSync(config, "redis: { prefix: nwtest-policy, allowEviction: true }\n");
    const allowed = spawnCli(["run", "--stages", "classify", "--config", config], env);
    let exitCode: number | null;
    try {
      await waitFor(() => allowed.output().includes("newswatch: starting"), { timeout: 20_000, what: "the service to start" });
      expect(allowed.output()).toContain("running anyway (redis.allowEviction)");
    } finally {
      exitCode = await allowed.stop();
    }
    expect(exitCode).toBe(0);
  });

  it("starts quietly on noeviction", async () => {
    await redis.config("SET", "maxmemory-policy", "noeviction");
    const { log, text } = capturedLog();
    expect(await checkEvictionPolicy(redis, { allowEviction: false, log })).toBe("noeviction");
    expect(text()).toBe("");
  });
});
