import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { answers, ensureRedis, NO_REDIS_HELP, stopRedis } from "../../src/service/redis-autostart.js";
import { freePort } from "../helpers/ports.js";


const hasRedisServer = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
if (!hasRedisServer) console.warn("skipping: redis-server is not on PATH");

describe("private redis-server for npm start", () => {
  it.runIf(hasRedisServer)("starts one with AOF under the data folder when nothing answers, and stops it", async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), "nw-redis-"));
    const handle = await ensureRedis(`redis://127.0.0.1:${port}`, { PATH: process.env.PATH }, dir);
    expect(handle.child).not.toBeNull();
    expect(await answers("127.0.0.1", port)).toBe(true);
    await stopRedis(handle);
    expect(await answers("127.0.0.1", port)).toBe(false);
  });

  it("explains how to get Redis when none answers and redis-server is not on PATH", async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    await expect(ensureRedis(url, { PATH: "/nonexistent" }, os.tmpdir())).rejects.toThrow(NO_REDIS_HELP(url));
  });

  it("leaves REDIS_URL alone", async () => {
    const handle = await ensureRedis("redis://127.0.0.1:1", { REDIS_URL: "redis://127.0.0.1:1" }, os.tmpdir());
    expect(handle.child).toBeNull();
  });
});
