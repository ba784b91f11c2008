import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/command.js";
import { clustersCommand } from "../../src/cli/commands/clusters.js";
import { dedupeStory } from "../../src/dedupe/dedupe.js";
import { fingerprint } from "../../src/dedupe/fingerprint.js";
import { RedisDedupeStore } from "../../src/dedupe/redis-store.js";
import type { Redis } from "../../src/queues/connection.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";

const options = { window: 72 * 3_600_000, margin: 3_600_000, duplicateThreshold: 0.5, eventThreshold: 0.2, referenceThreshold: 0.22, mergeThreshold: 0.35, halfLife: 4 * 86_400_000, profileSize: 64, idfStrength: 0, disagreement: 0 };
const vocab = { actorEntities: new Set<string>(), actorTerms: new Set<string>() };

describe("newswatch clusters", () => {
  let redis: Redis;
  const prefix = testPrefix("clusters");

  beforeAll(() => {
    redis = connect();
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it("lists recent clusters with their stories", async () => {
    const deps = { store: new RedisDedupeStore(redis, prefix), references: [], options };
    const now = Date.now();
    const stories = [
      ["1", "Lighthouse keepers strike in Port Merrow", "Keepers at the Port Merrow lighthouse walked out over pay.", "Coast Post"],
      ["2", "Port Merrow lighthouse keepers walk out", "The keepers of the Port Merrow lighthouse went on strike over pay on Monday.", "Harbour News"],
    ];
    for (const [n, title, description, source] of stories as [string, string, string, string][]) {
      const id = n.repeat(32);
      const fp = fingerprint({ id, time: now, title, description, entities: [{ name: "Port Merrow", type: "place" }], topics: [] }, vocab);
      await dedupeStory(fp, { id, title, source, link: null, published: new Date(now).toISOString(), verdict: "new" }, deps);
    }
    const dir = mkdtempSync(path.join(tmpdir(), "nw-clusters-"));
    const config = path.join(dir, "config.yaml");
    writeFileSync(config, `redis: { url: "${redisUrl()}", prefix: ${prefix} }\n`);
    const stdout = new PassThrough();
    let out = "";
    stdout.on("data", (d: Buffer) => (out += d.toString()));
    const io: CliIO = { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {} };
    const code = await clustersCommand.run({ values: { config }, positionals: [] }, io);
    expect(code).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^${"1".repeat(32)}  2 stories`));
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/new .* Coast Post: Lighthouse keepers strike in Port Merrow$/),
      expect.stringMatching(/same-event .* Harbour News: Port Merrow lighthouse keepers walk out$/),
    ]);

    let json = "";
    const jsonOut = new PassThrough();
    jsonOut.on("data", (d: Buffer) => (json += d.toString()));
    expect(await clustersCommand.run({ values: { config, json: true }, positionals: [] }, { ...io, stdout: jsonOut })).toBe(0);
    const cluster = JSON.parse(json.trim().split("\n")[0] ?? "") as { first: unknown; last: unknown; members: { published: unknown }[] };
    // Every time in the CLI's JSON is an ISO 8601 string.
    for (const t of [cluster.first, cluster.last, ...cluster.members.map((m) => m.published)]) expect(t).toBe(new Date(now).toISOString());
  });
});
