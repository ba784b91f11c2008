/**
 * The security review's hostile feeds, served on loopback beside a normal one:
 * 400 KB of unclosed tags, 200k-deep nesting, a 9.5 MB CDATA title, 85k items
 * and a 5 MB run of entities. `check-feed` finishes each with a result or a
 * clear error; a running `newswatch run` keeps delivering the normal feed's
 * alerts, /healthz keeps answering within a second, and `newswatch feeds`
 * shows what each hostile feed cost.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import { runCli } from "../helpers/cli.js";
import { HOSTILE_FEEDS } from "../helpers/hostile-feeds.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { spawnCli, type ServiceChild } from "../helpers/service-process.js";
import { waitFor } from "../helpers/wait-for.js";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";
import { freePort } from "../helpers/ports.js";

// Written for this test: relevant stories the normal feed publishes one by one while the hostile feeds are polled.
const STORIES = [
  ["Chinese destroyers dock at Bandar Abbas for joint naval drill with Iran", "The PLA Navy ships will train with the Iranian navy for four days."],
  ["US sanctions Chinese firms for shipping drone engines to Iran's military", "The Treasury said the companies supplied parts for Iranian drones."],
  ["Iran and China sign defense cooperation agreement in Beijing", "The defense ministers agreed on joint training and arms cooperation."],
] as const;

const bodies = new Map<string, Buffer>(Object.entries(HOSTILE_FEEDS).map(([name, make]) => [`/${name}`, Buffer.from(make())]));
let published: { guid: string; title: string; description: string; at: number }[] = [];
const prefix = testPrefix("hostile");
const dir = mkdtempSync(path.join(os.tmpdir(), "nw-hostile-"));
const configFile = path.join(dir, "newswatch.yaml");
let feedServer: http.Server;
let base = "";
let hooks: WebhookReceiver;
let service: ServiceChild | null = null;
let metricsPort = 0;

function normalFeed(): string {
  const items = published
    .map((s) => `<item><guid>${s.guid}</guid><title>${s.title}</title><link>http://normal.example/${s.guid}</link><pubDate>${new Date(s.at).toUTCString()}</pubDate><description>${s.description}</description></item>`)
    .join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Normal Wire</title>${items}</channel></rss>`;
}


beforeAll(async () => {
  feedServer = http.createServer((req, res) => {
    const body = req.url === "/normal" ? Buffer.from(normalFeed()) : bodies.get(req.url ?? "");
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(body);
  });
  await new Promise<void>((r) => feedServer.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
  hooks = await startWebhookReceiver();
  metricsPort = await freePort();
  const { topics } = parse(readFileSync(DEFAULT_CONFIG_PATH, "utf8")) as { topics: unknown };
  const names = ["normal", ...Object.keys(HOSTILE_FEEDS)];
  writeFileSync(
    configFile,
    stringify({
      redis: { prefix },
      // Past the size cap, so that the parser's own caps are what the hostile documents meet.
      defaults: { interval: "2s", maxBytes: 20_000_000 },
      // Every 5 s each hostile document is fetched and parsed whole again (no validators): about 10 MB a second on two cores.
      feeds: names.map((name) => ({ url: `${base}/${name}`, name, ...(name === "normal" ? {} : { interval: "5s" }) })),
      topics,
      alerts: { webhooks: [{ url: hooks.url }] },
      metrics: { port: metricsPort },
    }),
  );
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await hooks.close();
  await new Promise((r) => feedServer.close(r));
  const redis = connect();
  await dropPrefix(redis, prefix);
  await redis.quit();
});

it.each(Object.keys(HOSTILE_FEEDS))("check-feed answers %s with a result or a clear error", async (name) => {
  const { code, out, err } = await runCli(["check-feed", `${base}/${name}`, "--json", "--config", configFile], { env: { REDIS_URL: redisUrl() } });
  if (code === 0) expect(JSON.parse(out.split("\n")[0] ?? "{}")).toBeTypeOf("object");
  else expect(err).toMatch(/check-feed: .+/);
}, 10_000);

it("keeps delivering the normal feed's alerts on time and /healthz under a second while hostile feeds are polled", async () => {
  service = spawnCli(["run", "--config", configFile], { REDIS_URL: redisUrl(), LOG_LEVEL: "info" });
  const healthz = `http://127.0.0.1:${metricsPort}/healthz`;
  const probe = async (): Promise<number | null> => {
    const start = Date.now();
    try {
      const res = await fetch(healthz, { signal: AbortSignal.timeout(1_000) });
      return res.ok ? Date.now() - start : null;
    } catch {
      return null;
    }
  };
  await waitFor(async () => (await probe()) !== null, { timeout: 30_000, what: `/healthz of the service (output: ${service.output().slice(-2_000)})` });
  // Let the first polls (the backlog, and every hostile document) run before stories appear.
  await new Promise((r) => setTimeout(r, 4_000));

  const latencies: (number | null)[] = [];
  let probing = true;
  const prober = (async () => {
    while (probing) {
      latencies.push(await probe());
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const delays: number[] = [];
  for (const [i, [title, description]] of STORIES.entries()) {
    const story = { guid: `normal-${i}`, title, description, at: Date.now() };
    published = [story, ...published];
    await waitFor(() => hooks.requests.some((r) => r.body.includes(`normal.example/normal-${i}`)), { timeout: 30_000, what: `the alert for "${title}"` });
    delays.push(Date.now() - story.at);
  }
  probing = false;
  await prober;

  // A poll every 2 s; an alert within 20 s of its story is on time on a two-core machine that also runs the rest of the suite.
  expect(Math.max(...delays)).toBeLessThan(20_000);
  expect(latencies.length).toBeGreaterThan(10);
  expect(latencies.filter((l) => l === null)).toEqual([]);
  expect(Math.max(...latencies.map((l) => l ?? Infinity))).toBeLessThan(1_000);

  const { code, out } = await runCli(["feeds", "--json", "--config", configFile], { env: { REDIS_URL: redisUrl() } });
  expect(code).toBe(0);
  const rows = out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { name: string; lastError: string | null; lastWarning: string | null; lastSuccess: number | null });
  for (const name of Object.keys(HOSTILE_FEEDS)) {
    const row = rows.find((r) => r.name === name);
    expect(row, name).toBeDefined();
    // Each hostile document either failed with its reason or parsed within its caps and says what was cut.
    expect(row?.lastError ?? row?.lastWarning, name).toMatch(/\S/);
  }
  expect(rows.find((r) => r.name === "normal")).toMatchObject({ lastError: null });
}, 180_000);
