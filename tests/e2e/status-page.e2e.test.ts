/**
 * The status page as a person sees it: `newswatch run` polls a loopback feed,
 * one relevant story is alerted to a JSONL file (works) and to a webhook that
 * answers 400 (fails for good), and the page — bound to 0.0.0.0, so a token
 * is required — is loaded in headless Chromium (Debian's `chromium`, driven by
 * playwright-core). It must show the feed, the alert and the failed delivery,
 * fit a phone's width, and send the delivery again when Retry is pressed.
 * Screenshots go to test-output/ (git-ignored). Without a browser only the
 * fetch-level checks run.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";
import { freePort } from "../helpers/ports.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { spawnCli, type ServiceChild } from "../helpers/service-process.js";
import { waitFor } from "../helpers/wait-for.js";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";

/** Debian's Chromium when it is installed and starts; else the browser checks skip, saying why in one line. */
async function findBrowser(): Promise<string | undefined> {
  const found = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p !== undefined && existsSync(p));
  if (found === undefined) {
    console.warn("status-page e2e: no Chromium (apt-get install chromium); browser checks skipped");
    return undefined;
  }
  try {
    await (await chromium.launch({ executablePath: found })).close();
    return found;
  } catch (err) {
    console.warn(`status-page e2e: ${found} does not start (${(err as Error).message.split("\n")[0]}); browser checks skipped`);
    return undefined;
  }
}
const BROWSER = await findBrowser();

const FEED_NAME = "Loopback Wire";
const BACKLOG = { guid: "backlog-1", title: "Chinese and Iranian warships hold joint naval drill in the Gulf of Oman", description: "The navies of China and Iran began a joint naval exercise near Chabahar." };
const STORY = {
  guid: "story-drill",
  title: "China and Iran to stage joint naval exercise with Russia next month",
  description: "Warships of the PLA Navy and Iran's navy will join Russian ships for a joint naval drill in the Arabian Sea, Iran's navy commander said.",
};
const TOKEN = "e2e-status-token-0123456789";
const OUTPUT = path.join(PROJECT_ROOT, "test-output");

const prefix = testPrefix("status");
const dir = mkdtempSync(path.join(os.tmpdir(), "nw-status-"));
const alertsFile = path.join(dir, "alerts.jsonl");
let entries = [BACKLOG];
let feedRequests = 0;
let feedServer: http.Server;
let receiver: WebhookReceiver;
let service: ServiceChild;
let base = "";

function rss(items: (typeof STORY)[]): string {
  const now = new Date().toUTCString();
  const body = items.map((e) => `<item><title>${e.title}</title><link>http://news.example/${e.guid}</link><guid isPermaLink="false">${e.guid}</guid><pubDate>${now}</pubDate><description>${e.description}</description></item>`).join("");
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title><link>http://news.example/</link><description>t</description>${body}</channel></rss>`;
}

const bearer = { authorization: `Bearer ${TOKEN}` };
const pageText = async (p = "/") => (await fetch(`${base}${p}`, { headers: bearer })).text();

beforeAll(async () => {
  feedServer = http.createServer((_req, res) => {
    feedRequests++;
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(rss(entries));
  });
  await new Promise<void>((r) => feedServer.listen(0, "127.0.0.1", r));
  const feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed.xml`;
  // The first delivery is refused (400: not retried), so it fails for good at once; a retry gets through.
  receiver = await startWebhookReceiver({ reply: (call) => (call === 1 ? { status: 400 } : { status: 204 }) });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const topics = readFileSync(path.join(PROJECT_ROOT, "config/default.yaml"), "utf8").match(/^topics:[\s\S]*?(?=^\w)/m)?.[0] ?? "";
  const configFile = path.join(dir, "newswatch.yaml");
  writeFileSync(
    configFile,
    [
      `redis: { url: ${redisUrl()}, prefix: ${prefix} }`,
      "defaults: { interval: 1s }",
      `feeds: [ { url: "${feedUrl}", name: ${FEED_NAME} } ]`,
      topics,
      "alerts:",
      `  file: { path: ${alertsFile} }`,
      `  webhooks: [ { name: partner, url: "${receiver.url}" } ]`,
      `metrics: { port: ${port}, host: 0.0.0.0, token: "\${STATUS_TOKEN}" }`,
    ].join("\n"),
  );
  service = spawnCli(["run", "--config", configFile], { STATUS_TOKEN: TOKEN, REDIS_URL: undefined, NEWSWATCH_CONFIG: undefined, LOG_LEVEL: "info" });
  // A service that exits (a config it refuses) fails the wait at once, with its output.
  const running = () => {
    if (service.child.exitCode !== null) throw new Error(`newswatch run exited with ${service.child.exitCode}`);
  };
  try {
    await waitFor(() => (running(), feedRequests >= 1), { timeout: 30_000, what: "the first (backlog) poll" });
    entries = [BACKLOG, STORY];
    await waitFor(() => (running(), receiver.requests.length >= 1 && existsSync(alertsFile)), { timeout: 30_000, what: "the alert on both channels" });
    await waitFor(async () => (await pageText()).includes("job "), { timeout: 20_000, what: "the failed delivery on the page" });
  } catch (err) {
    console.error(service.output());
    throw err;
  }
}, 90_000);

afterAll(async () => {
  await service?.stop();
  await receiver?.close();
  feedServer?.closeAllConnections();
  feedServer?.close();
  const redis = connect();
  await dropPrefix(redis, prefix);
  await redis.quit();
});

it("serves the page, Bull Board and a 401 without the token (fetch)", async () => {
  for (const p of ["/", "/queues/", "/status.css"]) {
    const res = await fetch(`${base}${p}`);
    expect(res.status, p).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  }
  const res = await fetch(`${base}/`, { headers: bearer });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
  const html = await res.text();
  expect(html).toContain(FEED_NAME);
  expect(html).toContain(STORY.title);
  expect(html).not.toContain(BACKLOG.title);
  expect(await pageText("/queues/")).toContain("<title>newswatch queues</title>");
  const api = JSON.parse(await pageText("/queues/api/queues")) as { queues: { name: string }[] };
  expect(api.queues.map((q) => q.name).sort()).toEqual(["alert", "classify", "dedupe", "poll"]);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
});

async function noHorizontalOverflow(page: Page): Promise<void> {
  // Expressions as strings: the project compiles without the DOM's types.
  const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>("({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth })");
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

it.skipIf(BROWSER === undefined)("shows feeds, the alert and the failed delivery in Chromium, on a laptop and a phone, and retries it", { timeout: 60_000 }, async () => {
  mkdirSync(OUTPUT, { recursive: true });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: BROWSER, args: ["--disable-gpu", "--disable-dev-shm-usage"] });
    const offsite: string[] = [];
    const open = async (options: Parameters<Browser["newPage"]>[0]) => {
      const page = await browser!.newPage(options);
      // Nothing may leave the machine: a request elsewhere is refused here and fails the test below.
      await page.route(
        (u) => u.hostname !== "127.0.0.1",
        (route) => (offsite.push(route.request().url()), route.abort()),
      );
      return page;
    };
    const laptop = await open({ viewport: { width: 1280, height: 800 } });
    const violations: string[] = [];
    laptop.on("console", (m) => m.type() === "error" && violations.push(m.text()));
    // The token once in the URL; the server answers with a cookie and the clean URL.
    await laptop.goto(`${base}/?token=${TOKEN}`);
    expect(laptop.url()).toBe(`${base}/`);
    await expect.poll(() => laptop.locator("#feeds").innerText()).toContain(FEED_NAME);
    expect(await laptop.locator("#alerts").innerText()).toContain(STORY.title);
    expect(await laptop.locator("#alerts").innerText()).toMatch(/score \d\.\d\d/);
    const failedRow = laptop.locator("#failed tbody tr", { hasText: STORY.title });
    expect(await failedRow.innerText()).toContain("partner");
    // The stylesheet loaded under the CSP (the body takes its background from it), and nothing was refused.
    expect(await laptop.evaluate<string>("getComputedStyle(document.body).backgroundColor")).toBe("rgb(245, 246, 248)");
    expect(violations).toEqual([]);
    await noHorizontalOverflow(laptop);
    await laptop.screenshot({ path: path.join(OUTPUT, "status-laptop.png"), fullPage: true });

    const phone = await open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await phone.goto(`${base}/?token=${TOKEN}`);
    await phone.locator("#failed").scrollIntoViewIfNeeded();
    await noHorizontalOverflow(phone);
    await phone.screenshot({ path: path.join(OUTPUT, "status-phone.png"), fullPage: true });

    await failedRow.getByRole("button", { name: "Retry" }).click();
    await laptop.waitForURL(/retried=/);
    expect(await laptop.locator(".notice").innerText()).toMatch(/queued again/);
    await receiver.waitFor(() => receiver.accepted.size === 1, 20_000);
    await expect.poll(async () => (await laptop.reload(), laptop.locator("#failed").innerText()), { timeout: 20_000 }).toContain("No failed deliveries.");
    expect(await laptop.locator("#alerts").innerText()).toContain("partner: delivered");
    await laptop.screenshot({ path: path.join(OUTPUT, "status-after-retry.png"), fullPage: true });

    // Bull Board runs under its own policy: its scripts load and it lists the queues.
    await laptop.goto(`${base}/queues/`);
    await expect.poll(() => laptop.locator("body").innerText(), { timeout: 15_000 }).toMatch(/classify[\s\S]*dedupe/);
    expect(offsite).toEqual([]);
  } finally {
    await browser?.close();
  }
});
