/** When `newswatch run` may start a private redis-server, and what names a Redis of the config's own. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import { EXTERNAL_REDIS_MARKER, planRedis, readMarker, redisNamedBy, writeMarker, type RedisPlanInput } from "../../src/service/private-redis.js";

const fresh: RedisPlanInput = { url: "redis://127.0.0.1:6379", asked: false, namedBy: null, answers: false, marker: null, binary: true };

describe("planRedis", () => {
  it.each<[string, Partial<RedisPlanInput>, string, RegExp?]>([
    ["a first try on a laptop", {}, "start", /neither REDIS_URL nor redis.url/],
    ["a Redis already answering", { answers: true }, "connect"],
    ["REDIS_URL naming a Redis that is down", { namedBy: "REDIS_URL" }, "wait", /REDIS_URL names this Redis/],
    ["redis.url naming a Redis that is down", { namedBy: "redis.url in /etc/nw.yaml" }, "wait", /redis\.url in \/etc\/nw\.yaml/],
    ["./data that a real Redis has owned", { marker: "/srv/data/external-redis.txt" }, "wait", /external-redis\.txt.*--private-redis/],
    ["no redis-server on PATH", { binary: false }, "wait", /not on PATH/],
    ["--private-redis over the marker", { asked: true, marker: "/srv/data/external-redis.txt" }, "start", /--private-redis/],
    ["--private-redis with REDIS_URL", { asked: true, namedBy: "REDIS_URL" }, "refuse", /REDIS_URL names a Redis.*never takes a configured Redis's port/],
    ["--private-redis where something answers", { asked: true, answers: true }, "refuse", /already answers at redis:\/\/127\.0\.0\.1:6379/],
  ])("%s → %s", (_case, input, action, why) => {
    const plan = planRedis({ ...fresh, ...input });
    expect(plan.action).toBe(action);
    if (why) expect("why" in plan ? plan.why : "").toMatch(why);
  });

  it("never starts one where a config names a Redis, whatever else holds", () => {
    for (const asked of [false, true]) {
      for (const marker of [null, "/m"]) {
        for (const binary of [false, true]) {
          expect(planRedis({ ...fresh, namedBy: "REDIS_URL", asked, marker, binary }).action).not.toBe("start");
        }
      }
    }
  });
});

describe("redisNamedBy", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nw-named-"));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it("is REDIS_URL when set", () => {
    expect(redisNamedBy({ REDIS_URL: "redis://db:6379" }, file("a.yaml", "feeds: []\n"), "redis://db:6379")).toBe("REDIS_URL");
  });

  it("is the config file when it has redis.url, even at the default address", () => {
    const f = file("b.yaml", "redis: { url: redis://127.0.0.1:6379 }\n");
    expect(redisNamedBy({}, f, "redis://127.0.0.1:6379")).toBe(`redis.url in ${f}`);
  });

  it("is nothing when the file leaves redis.url out", () => {
    expect(redisNamedBy({}, file("c.yaml", "redis: { prefix: x }\nfeeds: []\n"), "redis://127.0.0.1:6379")).toBeNull();
  });

  it("is nothing for the shipped config's line that restates the default, and the file when it is changed", () => {
    expect(readFileSync(DEFAULT_CONFIG_PATH, "utf8")).toMatch(/^\s+url: redis:\/\/127\.0\.0\.1:6379/m);
    expect(redisNamedBy({}, DEFAULT_CONFIG_PATH, "redis://127.0.0.1:6379")).toBeNull();
    expect(redisNamedBy({}, DEFAULT_CONFIG_PATH, "redis://127.0.0.1:6380")).toBe(`redis.url in ${DEFAULT_CONFIG_PATH}`);
  });
});

describe("the marker of a real Redis", () => {
  it("is written once, says what it is for, and is found again", () => {
    const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), "nw-marker-")), "data");
    expect(readMarker(dataDir)).toBeNull();
    writeMarker(dataDir, "redis://:pw@127.0.0.1:6379", new Date("2025-01-02T03:04:05Z"));
    const marker = path.join(dataDir, EXTERNAL_REDIS_MARKER);
    expect(readMarker(dataDir)).toBe(marker);
    const text = readFileSync(marker, "utf8");
    expect(text).toContain("redis://:***@127.0.0.1:6379 on 2025-01-02T03:04:05.000Z");
    expect(text).toMatch(/Delete this file,\s+or run with --private-redis/);
    writeMarker(dataDir, "redis://127.0.0.1:6379", new Date("2030-01-01T00:00:00Z"));
    expect(readFileSync(marker, "utf8")).toBe(text);
  });
});
