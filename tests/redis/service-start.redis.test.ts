/**
 * A start-up that fails half-way (the metrics port taken, a stage that cannot
 * be built) closes what it opened — Redis connections, the CPU pool's threads,
 * the stages — and rethrows an error that says what failed. Runs on a Redis of
 * its own, so that its client count is this test's alone.
 */
import { existsSync, readdirSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/schema.js";
import { StartupError } from "../../src/errors.js";
import { createLogger } from "../../src/logger.js";
import { createRedis, type Redis } from "../../src/queues/connection.js";
import { startService } from "../../src/service/service.js";
import { HAS_REDIS_SERVER, ownRedisServer, warnIfNoRedisServer, type OwnRedis } from "../helpers/redis-server.js";
import { waitFor } from "../helpers/wait-for.js";

warnIfNoRedisServer("start-up clean-up");

let server: OwnRedis;
let probe: Redis;
const log = createLogger({ level: "silent", pretty: false });
/** Connected clients besides the probe itself. */
const clients = async () => String(await probe.call("CLIENT", "LIST")).trim().split("\n").length - 1;
/** OS threads of this process (Linux): the CPU pool's worker threads among them. */
const threads = () => (existsSync("/proc/self/task") ? readdirSync("/proc/self/task").length : 0);

beforeAll(async () => {
  if (!HAS_REDIS_SERVER) return;
  server = await ownRedisServer();
  probe = createRedis(server.url);
});

afterAll(async () => {
  if (!HAS_REDIS_SERVER) return;
  probe.disconnect();
  await server.stop();
});

it.runIf(HAS_REDIS_SERVER)("closes everything when the metrics port is taken, and names the setting", async () => {
  const taken = net.createServer();
  await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
  const port = (taken.address() as net.AddressInfo).port;
  const baseline = { clients: await clients(), threads: threads() };
  try {
    const config = ConfigSchema.parse({ redis: { url: server.url, prefix: "start" }, metrics: { port } });
    const started = startService({ config, configFile: "/srv/start.yaml", stages: ["poll", "classify", "dedupe", "alert"], log });
    await expect(started).rejects.toThrow(StartupError);
    await expect(started).rejects.toThrow(`metrics: cannot serve on 127.0.0.1:${port} (metrics.host, metrics.port): listen EADDRINUSE`);
    await waitFor(async () => (await clients()) === baseline.clients, { timeout: 5_000, what: "every Redis connection closed" });
    await waitFor(() => threads() <= baseline.threads, { timeout: 5_000, what: "the CPU pool's threads to end" });
  } finally {
    taken.close();
  }
});

it.runIf(HAS_REDIS_SERVER)("closes everything when a stage cannot be built, and rethrows its error", async () => {
  const baseline = { clients: await clients(), threads: threads() };
  const config = ConfigSchema.parse({ redis: { url: server.url, prefix: "start" }, reference: ["/nonexistent/ref.yaml"] });
  const started = startService({ config, configFile: "/srv/start.yaml", stages: ["classify", "dedupe"], log });
  await expect(started).rejects.toThrow("reference: cannot read /nonexistent/ref.yaml");
  await waitFor(async () => (await clients()) === baseline.clients, { timeout: 5_000, what: "every Redis connection closed" });
  await waitFor(() => threads() <= baseline.threads, { timeout: 5_000, what: "the CPU pool's threads to end" });
});
