/**
 * Our Redis clients while Redis is away, against a redis-server of this
 * file's own: every client and every copy BullMQ makes reports to the one
 * watcher, and a client told to disconnect while it waits to reconnect ends,
 * failing its pending commands, instead of leaving them pending for ever
 * (which would hang a Worker.close()).
 */
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis, watchRedis, type RedisWatcher } from "../../src/queues/connection.js";
import { HAS_REDIS_SERVER, ownRedisServer, warnIfNoRedisServer, type OwnRedis } from "../helpers/redis-server.js";
import { waitFor } from "../helpers/wait-for.js";

warnIfNoRedisServer("the Redis connection tests");

describe.runIf(HAS_REDIS_SERVER)("Redis clients while Redis is away", () => {
  let server: OwnRedis;
  const seen = { errors: [] as string[], retries: 0, ready: 0 };
  const watcher: RedisWatcher = {
    error: (err, source) => seen.errors.push(`${source}: ${err.message}`),
    retrying: () => void seen.retries++,
    ready: () => void seen.ready++,
  };

  beforeAll(async () => {
    server = await ownRedisServer();
    watchRedis(watcher);
  });
  afterAll(async () => {
    watchRedis(null);
    await server?.stop();
  });

  it("ends a client that waits to reconnect, failing its queued and in-flight commands", async () => {
    const client = createRedis(server.url);
    const copy = client.duplicate();
    try {
      await Promise.all([client.ping(), copy.ping()]);
      expect(seen.ready).toBe(2);
      const inFlight = client.blpop("nwtest-never-pushed", 0);
      await server.stop();
      await waitFor(() => client.status === "reconnecting" && copy.status === "reconnecting", { timeout: 10_000, what: "both clients to wait to reconnect" });
      const queued = client.get("nwtest-any");
      const ended = once(client, "end");
      client.disconnect();
      await expect(inFlight).rejects.toThrow("Connection is closed.");
      await expect(queued).rejects.toThrow("Connection is closed.");
      await ended;
      expect(client.status).toBe("end");
      // The copy reported its trouble to the same watcher, without a listener of its own.
      await waitFor(() => seen.errors.filter((e) => e.includes("ECONNREFUSED")).length >= 2, { timeout: 10_000, what: "both clients' refusals" });
      expect(seen.retries).toBeGreaterThanOrEqual(2);
    } finally {
      client.disconnect();
      copy.disconnect();
      await server.start();
    }
  });
});
