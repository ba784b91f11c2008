/**
 * The whole path, as a user runs it: a loopback server serves an RSS feed,
 * `newswatch run` (two child processes) polls it, and a loopback webhook receiver
 * gets exactly one signed alert per relevant new story — none for irrelevant
 * ones, none for the backlog, and nothing again after more polls and a restart.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { spawnCli } from "../helpers/service-process.js";
import { waitFor } from "../helpers/wait-for.js";

interface FeedEntryFixture {
  guid: string;
  title: string;
  description: string;
}

// Written for this test; the first entry is the backlog present at the first poll.
const BACKLOG: FeedEntryFixture = {
  guid: "backlog-1",
  title: "Chinese and Iranian warships hold joint naval drill in the Gulf of Oman",
  description: "The navies of China and Iran began a joint naval exercise near Chabahar, Iranian state media said.",
};
const LATER: FeedEntryFixture[] = [
  {
    guid: "story-drill",
    title: "China and Iran to stage joint naval exercise with Russia next month",
    description: "Warships of the PLA Navy and Iran's navy will join Russian ships for a joint naval drill in the Arabian Sea, Iran's navy commander said.",
  },
  {
    guid: "story-sanctions",
    title: "US sanctions Chinese companies for supplying parts to Iran's drone program",
    description: "The Treasury said the Chinese firms shipped engines and components used in Iranian military drones.",
  },
  {
    guid: "story-oil",
    title: "China's imports of Iranian crude oil rise to a record",
    description: "Chinese refiners bought more Iranian oil in March, ship-tracking data showed, as trade between the two countries grew.",
  },
  {
    guid: "story-football",
    title: "Local club wins the regional football cup after extra time",
    description: "Fans celebrated in the town square late into the night.",
  },
];
const RELEVANT = new Set(["story-drill", "story-sanctions"]);

let entries: FeedEntryFixture[] = [BACKLOG];
let feedRequests = 0;
let feedServer: http.Server;
let hookServer: http.Server;
let feedUrl = "";
let hookUrl = "";
const received: { id: string; title: string; verified: boolean }[] = [];
const secret = `whsec_${randomBytes(24).toString("base64")}`;
const prefix = testPrefix("e2e");
const dir = mkdtempSync(path.join(os.tmpdir(), "nw-e2e-"));
const alertsFile = path.join(dir, "alerts.jsonl");
const configFile = path.join(dir, "newswatch.yaml");

function rss(items: FeedEntryFixture[]): string {
  const now = new Date().toUTCString();
  const body = items
    .map(
      (e) =>
        `<item><title>${e.title}</title><link>http://news.example/${e.guid}?utm_source=rss</link>` +
        `<guid isPermaLink="false">${e.guid}</guid><pubDate>${now}</pubDate><description>${e.description}</description></item>`,
    )
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>E2E Wire</title><link>http://news.example/</link><description>test</description>${body}</channel></rss>`;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  feedServer = http.createServer((_req, res) => {
    feedRequests++;
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
    res.end(rss(entries));
  });
  feedUrl = `${await listen(feedServer)}/feed.xml`;
  const wh = new Webhook(secret);
  hookServer = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      let verified = false;
      try {
        wh.verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const alert = JSON.parse(body) as { story: { title: string } };
      received.push({ id: String(req.headers["webhook-id"]), title: alert.story.title, verified });
      res.writeHead(204).end();
    });
  });
  hookUrl = `${await listen(hookServer)}/hook`;
  writeFileSync(
    configFile,
    [
      `redis: { url: ${redisUrl()}, prefix: ${prefix} }`,
      "defaults: { interval: 1s }",
      `feeds: [ { url: "${feedUrl}", name: E2E Wire } ]`,
      readFileSync(path.resolve("config/default.yaml"), "utf8").match(/^topics:[\s\S]*?(?=^\w)/m)?.[0] ?? "",
      "alerts:",
      `  file: { path: ${alertsFile} }`,
      `  webhooks: [ { url: "${hookUrl}", secret: "\${E2E_WEBHOOK_SECRET}" } ]`,
    ].join("\n"),
  );
});

afterAll(async () => {
  for (const server of [feedServer, hookServer]) {
    server?.closeAllConnections();
    server?.close();
  }
  const redis = connect();
  await dropPrefix(redis, prefix);
  await redis.quit();
});

const env = () => ({ E2E_WEBHOOK_SECRET: secret, REDIS_URL: undefined, NEWSWATCH_CONFIG: undefined });

async function polls(n: number): Promise<void> {
  const start = feedRequests;
  await waitFor(() => feedRequests >= start + n, { timeout: 20_000, what: `${n} more polls of the feed` });
}

it("alerts once per relevant new story, by signed webhook and JSONL, across two processes, polls and a restart", { timeout: 120_000 }, async () => {
  // Two service processes share the Redis, as a scaled-out deployment does.
  const first = [spawnCli(["run", "--config", configFile], env()), spawnCli(["run", "--config", configFile], env())];
  // Exit codes are checked after each try, so that a failure inside it is the one reported.
  const exitCodes: (number | null)[] = [];
  try {
    await polls(1);
    entries = [BACKLOG, ...LATER];
    await waitFor(() => received.length >= RELEVANT.size, { timeout: 30_000, what: "the webhook alerts" });
    await polls(3);
  } catch (err) {
    for (const s of first) console.error(s.output());
    throw err;
  } finally {
    for (const s of first) exitCodes.push(await s.stop("SIGTERM"));
  }
  expect(exitCodes).toEqual([0, 0]);
  const restarted = spawnCli(["run", "--config", configFile], env());
  try {
    await polls(3);
  } finally {
    exitCodes.push(await restarted.stop("SIGTERM"));
  }
  expect(exitCodes).toEqual([0, 0, 0]);
  const output = [...first, restarted].map((s) => s.output()).join("\n");

  const titles = received.map((r) => r.title).sort();
  expect(titles).toEqual(LATER.filter((e) => RELEVANT.has(e.guid)).map((e) => e.title).sort());
  expect(received.every((r) => r.verified)).toBe(true);
  expect(new Set(received.map((r) => r.id)).size).toBe(received.length);

  expect(existsSync(alertsFile)).toBe(true);
  const lines = readFileSync(alertsFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { version: number; story: { title: string }; dedupe: { verdict: string } });
  expect(lines.map((l) => l.story.title).sort()).toEqual(titles);
  expect(lines.every((l) => l.version === 1 && l.dedupe.verdict === "new")).toBe(true);
  expect(output).not.toContain(secret);
});
