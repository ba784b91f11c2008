/**
 * The private redis-server: started, used and stopped for real on a free
 * port, and started only where private-redis.ts says it is safe.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { createRedis } from "../../src/queues/connection.js";
import { isPrivateServer, readMarker } from "../../src/service/private-redis.js";
import { answers, ensureRedis, NO_REDIS_HELP, stopRedis } from "../../src/service/redis-autostart.js";
import { openRedis, type RedisStartupOptions } from "../../src/service/redis-startup.js";
import { freePort } from "../helpers/ports.js";
import { redisUrl } from "../helpers/redis.js";
import { HAS_REDIS_SERVER, warnIfNoRedisServer } from "../helpers/redis-server.js";
import { waitFor } from "../helpers/wait-for.js";

warnIfNoRedisServer("the private redis-server tests");

describe("private redis-server for npm start", () => {
  it("says so when the redis-server on PATH cannot be run, instead of crashing", async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), "nw-bin-"));
    writeFileSync(path.join(bin, "redis-server"), "not a program", { mode: 0o644 });
    const port = await freePort();
    await expect(ensureRedis(`redis://127.0.0.1:${port}`, { PATH: bin }, mkdtempSync(path.join(os.tmpdir(), "nw-redis-")))).rejects.toThrow(
      /redis-server could not be started: .*EACCES/,
    );
  });

  it.runIf(HAS_REDIS_SERVER)("starts one with AOF under the data folder, knows it for its own, and stops it", async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), "nw-redis-"));
    const handle = await ensureRedis(`redis://127.0.0.1:${port}`, { PATH: process.env.PATH }, dir);
    expect(handle.child).not.toBeNull();
    expect(await answers("127.0.0.1", port)).toBe(true);
    const client = createRedis(handle.url);
    const shared = createRedis(redisUrl());
    try {
      expect(await client.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
      expect(await isPrivateServer(client, dir)).toBe(true);
      expect(await isPrivateServer(shared, dir)).toBe(false);
    } finally {
      client.disconnect();
      shared.disconnect();
      await stopRedis(handle);
    }
    expect(await answers("127.0.0.1", port)).toBe(false);
  });

  it("explains how to get Redis when none answers and redis-server is not on PATH", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    await expect(ensureRedis(url, { PATH: "/nonexistent" }, os.tmpdir())).rejects.toThrow(NO_REDIS_HELP(url));
  });

  it("starts none where a Redis answers", async () => {
    const handle = await ensureRedis(redisUrl(), { PATH: process.env.PATH }, os.tmpdir());
    expect(handle.child).toBeNull();
  });
});

describe.runIf(HAS_REDIS_SERVER)("openRedis: a private server only where it is safe", () => {
  /**
   * A config that names no Redis, with the default address moved to a free
   * port of this test's: the real default (6379) is the shared test Redis.
   */
  async function setup() {
    const port = await freePort();
    const work = mkdtempSync(path.join(os.tmpdir(), "nw-open-redis-"));
    const configFile = path.join(work, "newswatch.yaml");
    writeFileSync(configFile, "feeds: []\n");
    const config = parseConfig("feeds: []\n", configFile, {});
    config.redis.url = `redis://127.0.0.1:${port}`;
    const stream = new PassThrough();
    let logged = "";
    stream.on("data", (d: Buffer) => (logged += d.toString()));
    const options: RedisStartupOptions = {
      config,
      configFile,
      env: { PATH: process.env.PATH },
      privateRedis: false,
      dataDir: path.join(work, "data"),
      log: pino({ level: "info" }, stream),
      signal: new AbortController().signal,
    };
    return { port, options, logged: () => logged };
  }

  it("starts one on a fresh folder, shares it with a second process, and leaves no marker of its own", async () => {
    const { port, options, logged } = await setup();
    const handle = await openRedis(options);
    try {
      expect(handle.child).not.toBeNull();
      expect(logged()).toContain(`starting a private redis-server on 127.0.0.1:${port} with data in ${options.dataDir} because neither REDIS_URL nor redis.url`);
      const second = await openRedis(options);
      expect(second.child).toBeNull();
      expect(readMarker(options.dataDir)).toBeNull();
    } finally {
      await stopRedis(handle);
    }
  });

  it("marks the folder when a Redis of the user's own answers there, then waits for it rather than start one, unless asked", async () => {
    const { port, options, logged } = await setup();
    const own = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", os.tmpdir()], { stdio: "ignore" });
    try {
      await waitFor(() => answers("127.0.0.1", port, 200), { timeout: 10_000, what: "the user's redis-server" });
      expect((await openRedis(options)).child).toBeNull();
      expect(readMarker(options.dataDir)).not.toBeNull();
    } finally {
      const exited = new Promise((r) => own.once("exit", r));
      own.kill("SIGTERM");
      await exited;
    }

    const stop = new AbortController();
    const waiting = openRedis({ ...options, signal: stop.signal });
    await waitFor(() => logged().includes("not starting a private redis-server, as"), { timeout: 10_000, what: "the wait line" });
    expect(logged()).toMatch(/external-redis\.txt says a Redis of your own has held this folder's state/);
    expect(await answers("127.0.0.1", port)).toBe(false);
    stop.abort("stopped by the test");
    await expect(waiting).rejects.toBe("stopped by the test");

    const asked = await openRedis({ ...options, privateRedis: true });
    try {
      expect(asked.child).not.toBeNull();
    } finally {
      await stopRedis(asked);
    }
  });
});
