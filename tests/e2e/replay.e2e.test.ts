/**
 * Dry runs and explanations over what a real service archived: `newswatch run`
 * polls a loopback feed holding one relevant and one irrelevant story and
 * alerts the first to a JSONL file; then `replay` judges both again, with the
 * same config (nothing changes) and with one whose topic makes the other story
 * relevant (+ and - lines), and `explain` shows why the alert went out.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readDedupedRecords } from "../../src/archive/reader.js";
import { runCli } from "../helpers/cli.js";
import { testTopicYaml } from "../helpers/config.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { spawnCli } from "../helpers/service-process.js";
import { waitFor } from "../helpers/wait-for.js";

// Written for this test.
const DRILL = {
  guid: "story-drill",
  title: "China and Iran to stage joint naval exercise with Russia next month",
  description: "Warships of the PLA Navy and Iran's navy will join Russian ships for a joint naval drill in the Arabian Sea, Iran's navy commander said.",
};
const OTHER = {
  guid: "story-ruritania",
  title: "Ruritania and Freedonia hold joint naval exercise off the coast",
  description: "Warships of Ruritania and Freedonia began a week of joint naval drills, the Ruritanian defence ministry said.",
};

const prefix = testPrefix("replay");
const dir = mkdtempSync(path.join(os.tmpdir(), "nw-replay-"));
const alertsFile = path.join(dir, "alerts.jsonl");
const configFile = path.join(dir, "newswatch.yaml");
const otherConfigFile = path.join(dir, "other.yaml");
let feedServer: http.Server;

beforeAll(async () => {
  const published = new Date().toUTCString();
  const items = [DRILL, OTHER]
    .map((e) => `<item><title>${e.title}</title><link>http://news.example/${e.guid}?utm_source=rss</link><guid isPermaLink="false">${e.guid}</guid><pubDate>${published}</pubDate><description>${e.description}</description></item>`)
    .join("");
  feedServer = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Replay Wire</title>${items}</channel></rss>`);
  });
  await new Promise<void>((r) => feedServer.listen(0, "127.0.0.1", r));
  const feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed.xml`;
  const common = [`redis: { url: ${redisUrl()}, prefix: ${prefix} }`, "alerts:", `  file: { path: ${alertsFile} }`];
  const topics = readFileSync(path.resolve("config/default.yaml"), "utf8").match(/^topics:[\s\S]*?(?=^\w)/m)?.[0] ?? "";
  writeFileSync(configFile, [...common, "defaults: { interval: 1s }", `feeds: [ { url: "${feedUrl}", name: Replay Wire, backfill: true } ]`, topics].join("\n"));
  writeFileSync(otherConfigFile, [...common, testTopicYaml("keywords: [naval exercise]")].join("\n"));
});

afterAll(async () => {
  feedServer?.closeAllConnections();
  feedServer?.close();
  const redis = connect();
  await dropPrefix(redis, prefix);
  await redis.quit();
});

interface ReplayLine {
  id: string;
  title: string;
  classification: { relevant: boolean; score: number; topics: string[]; relation: string | null };
  dedupe: { verdict: string } | null;
  wouldAlert: string | null;
  wasAlerted: string | null;
}

it("replays the archive with another config as +/- lines and explains an alerted story", { timeout: 60_000 }, async () => {
  const service = spawnCli(["run", "--config", configFile], { REDIS_URL: undefined, NEWSWATCH_CONFIG: undefined });
  const redis = connect();
  let exitCode: number | null;
  try {
    await waitFor(() => existsSync(alertsFile) && readFileSync(alertsFile, "utf8").includes(DRILL.title), { timeout: 30_000, what: "the alert in the JSONL file" });
    // The dedupe stage records its verdict right after adding the alert job.
    await waitFor(async () => (await readDedupedRecords(redis, prefix, { from: Date.now() - 3_600_000, to: Date.now() })).size > 0, { timeout: 5_000, what: "the dedupe record" });
  } catch (err) {
    console.error(service.output());
    throw err;
  } finally {
    exitCode = await service.stop("SIGTERM");
    redis.disconnect();
  }
  expect(exitCode).toBe(0);

  const same = await runCli(["replay", "--since", "1h", "--json", "--config", configFile]);
  expect(same.code, same.err).toBe(0);
  const lines = same.out.trim().split("\n").map((l) => JSON.parse(l) as ReplayLine);
  expect(lines.map((l) => l.title).sort()).toEqual([DRILL.title, OTHER.title].sort());
  const drill = lines.find((l) => l.title === DRILL.title);
  const other = lines.find((l) => l.title === OTHER.title);
  expect(drill).toMatchObject({ classification: { relevant: true, topics: ["iran-china-defense"], relation: "joint-exercise" }, dedupe: { verdict: "new" }, wouldAlert: "new", wasAlerted: "new" });
  expect(drill?.classification.score).toBeGreaterThan(0.5);
  expect(other).toMatchObject({ classification: { relevant: false, topics: [], relation: null }, dedupe: null, wouldAlert: null, wasAlerted: null });
  expect(same.err).toContain("1 alert(s) unchanged, 0 added (+), 0 removed (-)");

  const changed = await runCli(["replay", "--since", "1h", "--config", otherConfigFile]);
  expect(changed.code, changed.err).toBe(0);
  const diff = changed.out.trim().split("\n");
  expect(diff).toHaveLength(2);
  expect(diff.find((l) => l.startsWith("+ new"))).toContain(OTHER.title);
  expect(diff.find((l) => l.startsWith("- new"))).toContain(DRILL.title);

  const explained = await runCli(["explain", drill?.id.slice(0, 12) ?? "", "--config", configFile]);
  expect(explained.code, explained.err).toBe(0);
  expect(explained.out).toContain(`story ${drill?.id}: ${DRILL.title}`);
  expect(explained.out).toMatch(/^ +[+-]\d\.\d{3} {2}bias$/m);
  expect(explained.out).toContain("evidence: ");
  expect(explained.out).toContain(`dedupe: new (score 0), cluster ${drill?.id}`);
  expect(explained.out).toMatch(/^ {2}file: job [a-f0-9]{32} completed; delivered /m);
  expect(explained.out).toMatch(/^ {4}#1 \S+ ok \(\d+ ms\) /m);

  const byUrl = await runCli(["explain", `http://news.example/${OTHER.guid}`, "--json", "--config", configFile]);
  expect(byUrl.code, byUrl.err).toBe(0);
  expect(JSON.parse(byUrl.out)).toMatchObject({ story: { title: OTHER.title }, recorded: { classified: { relevant: false }, deduped: null }, deliveries: [] });
});
