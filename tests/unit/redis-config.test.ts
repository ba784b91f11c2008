/**
 * The redis section names exactly one Redis: a URL, a Cluster or a Sentinel
 * group; the client factory builds the matching ioredis client, and the new
 * secrets stay out of every stored or logged copy of the config.
 */
import { PassThrough } from "node:stream";
import { Cluster, Redis } from "ioredis";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { redactConfig } from "../../src/config/redact.js";
import { createLogger } from "../../src/logger.js";
import { clusterOptions, createRedisClient, describeRedis, sentinelOptions } from "../../src/queues/connection.js";
import { createRedisReporter } from "../../src/service/redis-reporter.js";
import { configProblems, TEST_CONFIG_FILE } from "../helpers/config.js";

const CLUSTER = "redis:\n  cluster:\n    nodes: [redis://127.0.0.1:7000, redis://127.0.0.1:7001]\n";
const SENTINEL = "redis:\n  sentinel:\n    name: mymaster\n    sentinels: ['127.0.0.1:26379', '[::1]:26380']\n";

const redisOf = (text: string, env: Record<string, string> = {}) => parseConfig(text, TEST_CONFIG_FILE, env).redis;

describe("redis config: exactly one of url, cluster, sentinel", () => {
  it("keeps the default url when neither cluster nor sentinel is given", () => {
    expect(redisOf("").url).toBe("redis://127.0.0.1:6379");
  });

  it("leaves url unset for a cluster or a Sentinel group", () => {
    const cluster = redisOf(CLUSTER);
    expect(cluster.url).toBeUndefined();
    expect(cluster.cluster?.nodes).toEqual(["redis://127.0.0.1:7000", "redis://127.0.0.1:7001"]);
    const sentinel = redisOf(SENTINEL);
    expect(sentinel.url).toBeUndefined();
    expect(sentinel.sentinel).toMatchObject({ name: "mymaster", tls: false, db: 0 });
  });

  it("refuses url with cluster, and cluster with sentinel, naming both keys", () => {
    expect(configProblems(`${CLUSTER}  url: redis://127.0.0.1:6379\n`)).toEqual([
      "redis.cluster: redis.url and redis.cluster are both given; use exactly one of redis.url, redis.cluster, redis.sentinel",
    ]);
    const both = `${CLUSTER}  sentinel: { name: m, sentinels: ['127.0.0.1:26379'] }\n`;
    expect(configProblems(both)).toEqual([
      "redis.sentinel: redis.cluster and redis.sentinel are both given; use exactly one of redis.url, redis.cluster, redis.sentinel",
    ]);
  });

  it("refuses REDIS_URL together with a cluster or a Sentinel group", () => {
    expect(configProblems(CLUSTER, { REDIS_URL: "redis://127.0.0.1:6390" })).toEqual([
      "redis.cluster: REDIS_URL is set and redis.cluster is given; use exactly one of them (unset REDIS_URL for a cluster)",
    ]);
    expect(configProblems(SENTINEL, { REDIS_URL: "redis://127.0.0.1:6390" })[0]).toMatch(/^redis\.sentinel: REDIS_URL is set and redis\.sentinel is given/);
    expect(redisOf("", { REDIS_URL: "redis://127.0.0.1:6390" }).url).toBe("redis://127.0.0.1:6390");
  });

  it("checks nodes and sentinels", () => {
    expect(configProblems("redis:\n  cluster: { nodes: [] }\n")[0]).toMatch(/^redis\.cluster\.nodes: /);
    expect(configProblems("redis:\n  cluster: { nodes: ['http://127.0.0.1:7000'] }\n")).toEqual([
      "redis.cluster.nodes[0]: expected a redis:// or rediss:// URL",
    ]);
    expect(configProblems("redis:\n  sentinel: { name: m, sentinels: ['127.0.0.1'] }\n")).toEqual(['redis.sentinel.sentinels[0]: expected "host:port"']);
    expect(configProblems("redis:\n  sentinel: { sentinels: ['127.0.0.1:26379'] }\n")).toEqual(["redis.sentinel.name: required (expected string)"]);
  });
});

describe("redis config: secrets", () => {
  const text =
    "redis:\n  sentinel:\n    name: m\n    sentinels: ['127.0.0.1:26379']\n" +
    "    username: app\n    password: ${MASTER_PASS}\n    sentinelPassword: ${SENTINEL_PASS}\n";
  const env = { MASTER_PASS: "master-s3cret", SENTINEL_PASS: "sentinel-s3cret" };

  it("reads passwords from ${VAR}", () => {
    expect(redisOf(text, env).sentinel).toMatchObject({ username: "app", password: "master-s3cret", sentinelPassword: "sentinel-s3cret" });
    const cluster = redisOf("redis:\n  cluster: { nodes: ['rediss://127.0.0.1:7000'], password: '${CLUSTER_PASS}' }\n", { CLUSTER_PASS: "c-s3cret" });
    expect(cluster.cluster?.password).toBe("c-s3cret");
    expect(configProblems("redis:\n  cluster: { nodes: ['redis://127.0.0.1:7000'], password: '${NOPE_PASS}' }\n")).toEqual([
      "redis.cluster.password: environment variable NOPE_PASS is not set",
    ]);
  });

  it("keeps them out of the stored config and of log lines", () => {
    const config = parseConfig(text, TEST_CONFIG_FILE, env);
    const stored = JSON.stringify(redactConfig(config));
    expect(stored).not.toContain("s3cret");
    expect(redactConfig(config).redis.sentinel?.password).toBe("[from env]");

    const out = new PassThrough();
    let written = "";
    out.on("data", (d: Buffer) => (written += d.toString()));
    const log = createLogger({ destination: out });
    log.info({ config }, "config");
    log.info({ redis: describeRedis({ cluster: { nodes: ["redis://app:node-s3cret@127.0.0.1:7000"] } }) }, "cluster");
    expect(written).toContain("[redacted]");
    expect(written).not.toContain("s3cret");
  });
});

describe("createRedisClient", () => {
  it("builds a Redis for a URL, a Redis through the sentinels for a group, and a Cluster for a cluster", async () => {
    const single = createRedisClient({ url: "redis://127.0.0.1:6379" }, { lazyConnect: true });
    const sentinel = createRedisClient(redisOf(SENTINEL), { lazyConnect: true });
    const cluster = createRedisClient(redisOf(CLUSTER), { lazyConnect: true });
    try {
      expect(single).toBeInstanceOf(Redis);
      expect((single as Redis).options.sentinels ?? null).toBeNull();
      expect(sentinel).toBeInstanceOf(Redis);
      expect((sentinel as Redis).options).toMatchObject({
        name: "mymaster",
        sentinels: [{ host: "127.0.0.1", port: 26379 }, { host: "::1", port: 26380 }],
        failoverDetector: true,
        maxRetriesPerRequest: null,
      });
      expect(cluster).toBeInstanceOf(Cluster);
      // BullMQ's blocking connection is a duplicate: it must be a cluster with the same settings.
      const copy = cluster.duplicate();
      expect(copy).toBeInstanceOf(Cluster);
      expect((copy as Cluster).options.redisOptions?.maxRetriesPerRequest).toBeNull();
      copy.disconnect();
    } finally {
      for (const c of [single, sentinel, cluster]) c.disconnect();
    }
  });

  it("carries TLS and ACL credentials to every node of a cluster and to the sentinels", () => {
    const made = clusterOptions({ nodes: ["rediss://app:pw@10.0.0.1:7000", "rediss://10.0.0.2"], password: "explicit" });
    expect(made.nodes).toEqual([
      { host: "10.0.0.1", port: 7000 },
      { host: "10.0.0.2", port: 6379 },
    ]);
    expect(made.options.redisOptions).toMatchObject({ username: "app", password: "explicit", tls: {}, maxRetriesPerRequest: null });
    expect(made.options).toMatchObject({ enableOfflineQueue: true, retryDelayOnFailover: 300 });

    const s = sentinelOptions({ name: "m", sentinels: ["h:1"], username: "u", password: "p", sentinelUsername: "su", sentinelPassword: "sp", tls: true, db: 2 });
    expect(s).toMatchObject({ username: "u", password: "p", sentinelUsername: "su", sentinelPassword: "sp", db: 2, tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true });
  });

  it("describes where it connects without secrets", () => {
    expect(describeRedis(redisOf(SENTINEL))).toBe("sentinel group mymaster (127.0.0.1:26379,[::1]:26380)");
    expect(describeRedis({ url: "redis://:pw@127.0.0.1:6379" })).toBe("redis://:***@127.0.0.1:6379");
  });
});

describe("redis reporter: failover", () => {
  it("logs one line per change of master, however many clients report it", () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on("data", (d: Buffer) => lines.push(...d.toString().split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { msg: string }).msg)));
    let clock = 0;
    const reporter = createRedisReporter({ url: "cluster redis://127.0.0.1:7000", log: pino(stream), now: () => clock });
    const report = reporter.masters?.bind(reporter);
    for (let i = 0; i < 5; i++) report?.("127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002");
    clock += 1_000;
    report?.("127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003");
    // A client that had not refreshed yet still sees the old masters, then catches up.
    report?.("127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002");
    for (let i = 0; i < 5; i++) report?.("127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003");
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect(lines).toEqual(["redis: failover: new master 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003"]);
        resolve();
      }),
    );
  });
});
