/** `newswatch check --redis`: what a config would change against the running service's applied config and the schedulers. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { ConfigSchema } from "../../src/config/schema.js";
import { createLogger } from "../../src/logger.js";
import { syncFeedSchedulers } from "../../src/service/schedulers.js";
import { startService } from "../../src/service/service.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/ports.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";

const prefix = testPrefix("check");
const dir = mkdtempSync(path.join(tmpdir(), "nw-check-redis-"));
const file = path.join(dir, "newswatch.yaml");
const feed = (n: string) => `http://127.0.0.1:9/${n}.xml`;
const [A, B, C, D] = [feed("a"), feed("b"), feed("c"), feed("d")];

const yaml = (feeds: string[], extra = "") =>
  `redis: { url: "${redisUrl()}", prefix: ${prefix}, allowEviction: true }\ndefaults: { interval: 1h }\nfeeds:\n${feeds.map((u) => `  - url: ${u}\n`).join("")}${extra}`;

afterAll(async () => {
  const redis = connect();
  await dropPrefix(redis, prefix);
  await redis.quit();
});

it("prints what the config would change against the running one and the schedulers, feeds of other configs included", async () => {
  writeFileSync(file, yaml([A, B]));
  const service = await startService({ config: loadConfig(file, {}).config, configFile: file, stages: ["poll"], log: createLogger({ level: "silent", pretty: false }) });
  try {
    await syncFeedSchedulers(service.ctx.queues.poll, ConfigSchema.parse({ feeds: [{ url: D }] }), "/srv/other.yaml");
    writeFileSync(file, yaml([A, C], "dedupe: { followUpAt: 3 }\nalerts: { webhooks: [{ name: ops, url: 'https://h.example.test/', secret: x }] }\n"));
    const result = await runCli(["check", "--config", file, "--redis"]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const out = result.out.split("\n");
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^redis redis:\/\/.*: answers; maxmemory-policy \S+/),
        expect.stringMatching(new RegExp(`^against the config running since \\d{4}-.*Z \\(${file}\\):$`)),
        `  feed added ${C}`,
        `  feed removed ${B}`,
        "  dedupe.followUpAt changed (5 → 3)",
        "  webhook ops added",
        `feed schedulers on prefix ${prefix}: 1 to add, 0 to change, 1 to remove`,
        `  remove ${B}`,
        `  1 feed(s) on prefix ${prefix} belong to config /srv/other.yaml; left alone`,
        `${file}: valid`,
      ]),
    );
  } finally {
    await service.stop();
  }
});

it("fails when Redis does not answer", async () => {
  const closed = path.join(dir, "closed.yaml");
  writeFileSync(closed, `redis: { url: "redis://127.0.0.1:${await freePort()}", prefix: ${prefix} }\nfeeds: [{ url: ${A} }]\n`);
  const result = await runCli(["check", "--config", closed, "--redis"]);
  expect(result.code).toBe(1);
  expect(result.err).toMatch(/^error: redis redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/m);
  expect(result.out).toContain("closed.yaml: invalid");
});
