/**
 * Redis away or refusing, as a user meets it: the real CLI against a
 * redis-server of this file's own. The service says so at most once a second
 * (no stack dumps), waits rather than exits or starts a private Redis, and
 * goes on by itself when Redis is back: stories published meanwhile are
 * alerted once, and nothing delivered before is delivered again.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, it } from "vitest";
import { answers } from "../../src/service/redis-autostart.js";
import { RELEVANT_STORIES, startLoopbackFeed } from "../helpers/loopback-feed.js";
import { freePort } from "../helpers/ports.js";
import { HAS_REDIS_SERVER, ownRedisServer, warnIfNoRedisServer, type OwnRedis } from "../helpers/redis-server.js";
import { lines, serviceConfigYaml, spawnCli, stackLines, type ServiceChild } from "../helpers/service-process.js";
import { waitFor } from "../helpers/wait-for.js";
import { startWebhookReceiver } from "../helpers/webhook-receiver.js";

warnIfNoRedisServer("the Redis outage tests");

const dir = mkdtempSync(path.join(os.tmpdir(), "nw-outage-"));
const secret = `whsec_${randomBytes(24).toString("base64")}`;
const env = { NW_TEST_WEBHOOK_SECRET: secret, LOG_LEVEL: "info", REDIS_URL: undefined, NEWSWATCH_CONFIG: undefined };
const servers: OwnRedis[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function ownRedis(options: Parameters<typeof ownRedisServer>[0] = {}): Promise<OwnRedis> {
  const server = await ownRedisServer(options);
  servers.push(server);
  return server;
}

/** The lines the service wrote from `from` (an output length) on. */
const linesSince = (service: ServiceChild, from: number) => lines(service.output().slice(from));

/** Lines written by the service over `ms`, once it has said its first "redis:" line. */
async function linesOver(service: ServiceChild, ms: number): Promise<string[]> {
  await waitFor(() => service.output().includes('"msg":"redis:'), { timeout: 20_000, what: "the service's first redis line" });
  const from = service.output().length;
  await new Promise((r) => setTimeout(r, ms));
  return linesSince(service, from);
}

function redisServersStartedBy(pid: number | undefined): string[] {
  try {
    return execFileSync("ps", ["-o", "comm=", "--ppid", String(pid)], { encoding: "utf8" }).split("\n").filter((c) => c.includes("redis"));
  } catch {
    return []; // ps exits 1 when the process has no children
  }
}

// The two tests use servers, feeds and services of their own, so they run side by side.
describe.runIf(HAS_REDIS_SERVER).concurrent("Redis away or refusing", () => {
  it("says so at most once a second, without stacks, for a closed port and for a refused login", { timeout: 60_000 }, async ({ expect }) => {
    const closedPort = await freePort();
    const locked = await ownRedis({ args: ["--requirepass", randomBytes(8).toString("hex")] });
    const config = path.join(dir, "refusing.yaml");
    writeFileSync(config, "redis: { prefix: nwtest-outage }\nfeeds: []\n");
    const cases = [
      { url: `redis://127.0.0.1:${closedPort}`, cause: "ECONNREFUSED" },
      { url: locked.url, cause: "NOAUTH" },
    ];
    await Promise.all(
      cases.map(async ({ url, cause }) => {
        const service = spawnCli(["run", "--config", config], { ...env, REDIS_URL: url });
        let exitCode: number | null;
        try {
          const said = await linesOver(service, 6_000);
          expect(said.length, said.join("\n")).toBeLessThanOrEqual(4); // the backoff steps give 2 or 3
          expect(said.join("\n")).toContain(cause);
          expect(stackLines(service.output())).toEqual([]);
          expect(service.output()).not.toContain("Unhandled error event");
        } catch (err) {
          console.error(service.output());
          throw err;
        } finally {
          exitCode = await service.stop();
        }
        expect(exitCode).toBe(0);
      }),
    );
    expect(await answers("127.0.0.1", closedPort)).toBe(false);
  });

  it("rides out Redis stopping mid-run, and a restart while it is down, sending each alert once", { timeout: 120_000 }, async ({ expect }) => {
    const redis = await ownRedis({ aof: true });
    const feed = await startLoopbackFeed();
    const receiver = await startWebhookReceiver({ secret });
    const config = path.join(dir, "outage.yaml");
    writeFileSync(config, serviceConfigYaml({ redisUrl: redis.url, prefix: "nwtest-outage", feedUrl: feed.url, hookUrl: receiver.url }));
    const [first, second, third, fourth] = RELEVANT_STORIES as [(typeof RELEVANT_STORIES)[number], ...typeof RELEVANT_STORIES];
    const alerted = (n: number) => receiver.waitFor(() => receiver.accepted.size >= n, 30_000);
    let service = spawnCli(["run", "--config", config], env);
    let exitCode: number | null;
    try {
      await feed.polls(1);
      feed.items = [first];
      await alerted(1);

      // Redis stops mid-run; a story is published while it is away.
      await redis.stop();
      const downAt = Date.now();
      const from = service.output().length;
      feed.items = [first, second!];
      await new Promise((r) => setTimeout(r, 4_000));
      const outage = linesSince(service, from);
      const outageSeconds = (Date.now() - downAt) / 1000;
      await redis.start();
      expect(outage.length, outage.join("\n")).toBeLessThanOrEqual(Math.ceil(outageSeconds) + 1);
      expect(outage.join("\n")).toContain("ECONNREFUSED");
      await alerted(2);
      expect(service.output()).toMatch(/redis: connected again after \d/);
      feed.items = [first, second!, third!];
      await alerted(3);
      expect(await service.stop()).toBe(0);

      // Restarted while its configured Redis is down: it waits, starts no Redis of its own, and repeats nothing.
      await redis.stop();
      service = spawnCli(["run", "--config", config], env);
      await waitFor(() => /waiting for it/.test(service.output()), { timeout: 20_000, what: "the service to say it waits for Redis" });
      expect(service.output()).toContain("not starting a private redis-server, as redis.url in");
      await new Promise((r) => setTimeout(r, 1_000));
      expect(service.child.exitCode).toBeNull();
      expect(redisServersStartedBy(service.child.pid)).toEqual([]);
      expect(await answers("127.0.0.1", redis.port)).toBe(false);
      await redis.start();
      await waitFor(() => /redis: connected to redis:\/\/127\.0\.0\.1:\d+ after/.test(service.output()), { timeout: 20_000, what: "the service to connect" });
      // Were the stories sent before forgotten, this first poll would send them again, before the fourth's alert.
      await feed.polls(1);
      feed.items = [first, second!, third!, fourth!];
      await alerted(4);
      await feed.polls(1);
    } catch (err) {
      console.error(service.output());
      throw err;
    } finally {
      exitCode = await service.stop();
      await Promise.all([feed.close(), receiver.close()]);
    }
    expect(exitCode).toBe(0);
    expect(stackLines(service.output())).toEqual([]);
    expect(receiver.duplicates).toBe(0);
    expect(receiver.requests.filter((r) => r.reply !== "hang" && r.reply.status === 200)).toHaveLength(4);
    const titles = receiver.requests.map((r) => (JSON.parse(r.body) as { story: { title: string } }).story.title).sort();
    expect(titles).toEqual([first, second, third, fourth].map((s) => s!.title).sort());
  });
});
