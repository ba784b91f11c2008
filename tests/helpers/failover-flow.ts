/**
 * The e2e flow through a Redis failover, shared by the Cluster and the
 * Sentinel tests: one `newswatch run` polls a loopback feed and alerts a
 * signed webhook receiver; a story is alerted, the topology fails over while
 * the next is published, two more follow, and the feed is polled on a while
 * (a story sent twice would show up then).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { RELEVANT_STORIES, startLoopbackFeed, type FeedStory } from "./loopback-feed.js";
import { lines, serviceConfigYaml, spawnCli, stackLines, type ServiceChild } from "./service-process.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

export interface FailoverFlowOptions {
  /** The redis: fields that point the service at the topology (`cluster: {…}` or `sentinel: {…}`). */
  redisFields: string;
  /** Fails the topology over; resolves once it has settled. */
  failover(): Promise<void>;
}

export interface FailoverFlowResult {
  stories: FeedStory[];
  receiver: WebhookReceiver;
  /** Everything the service wrote; `outputAtFailover` is its length when the failover began. */
  output: string;
  outputAtFailover: number;
  /** The service's exit code when the flow stopped it, and whether it was still the first process then. */
  exitCode: number | null;
  ranThroughout: boolean;
  failoverMs: number;
  /** From the end of the failover to the last story's alert. */
  catchUpMs: number;
}

export async function alertsThroughFailover(options: FailoverFlowOptions): Promise<FailoverFlowResult> {
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "nw-failover-"));
  const feed = await startLoopbackFeed();
  const receiver = await startWebhookReceiver({ secret });
  const config = path.join(dir, "newswatch.yaml");
  writeFileSync(config, serviceConfigYaml({ redisFields: options.redisFields, prefix: "nwtest-failover", feedUrl: feed.url, hookUrl: receiver.url }));
  const stories = RELEVANT_STORIES.slice(0, 4);
  const alerted = (n: number) => receiver.waitFor(() => receiver.accepted.size >= n, 30_000);

  let service: ServiceChild | null = null;
  let outputAtFailover = 0;
  let failoverMs = 0;
  try {
    service = spawnCli(["run", "--config", config], { NW_TEST_WEBHOOK_SECRET: secret, LOG_LEVEL: "info", REDIS_URL: undefined, NEWSWATCH_CONFIG: undefined });
    const running = service;
    const exitedEarly = () => running.child.exitCode !== null || running.child.signalCode !== null;
    // The first poll takes the (empty) backlog. A request is counted when it arrives, before that poll
    // is done; a story published then would be taken as backlog too. A second request means it is done.
    await feed.polls(2, 30_000);
    feed.items = stories.slice(0, 1);
    await alerted(1);

    outputAtFailover = service.output().length;
    const began = Date.now();
    const failing = options.failover();
    feed.items = stories.slice(0, 2); // published while the masters change
    await failing;
    failoverMs = Date.now() - began;
    const settled = Date.now();
    feed.items = stories;
    await alerted(stories.length);
    const catchUpMs = Date.now() - settled;
    await feed.polls(3);
    const ranThroughout = !exitedEarly();
    const exitCode = await service.stop();
    return { stories, receiver, output: service.output(), outputAtFailover, exitCode, ranThroughout, failoverMs, catchUpMs };
  } catch (err) {
    if (service) console.error(`${service.output()}\nthe feed was polled ${feed.requests} times; the receiver got ${receiver.requests.length} requests`);
    throw err;
  } finally {
    await service?.stop("SIGKILL");
    await Promise.all([feed.close(), receiver.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The webhook-ids the receiver accepted, per story title: one each when every alert arrived once. */
export function idsByStory(receiver: WebhookReceiver): Map<string, Set<string>> {
  const byStory = new Map<string, Set<string>>();
  for (const r of receiver.requests) {
    if (r.reply === "hang" || r.reply.status !== 200) continue;
    const title = (JSON.parse(r.body) as { story: { title: string } }).story.title;
    byStory.set(title, (byStory.get(title) ?? new Set()).add(r.id));
  }
  return byStory;
}

/** What a failed assertion should show: each webhook request, and what the service said from the failover on at warn or above, or of a delivery. */
export function flowSummary(run: FailoverFlowResult): string {
  const requests = run.receiver.requests.map((r) => {
    const title = (JSON.parse(r.body) as { story: { title: string } }).story.title;
    return `request ${r.call}: ${r.id} ${r.reply === "hang" ? "hang" : r.reply.status} ${title}`;
  });
  const said = lines(run.output.slice(run.outputAtFailover)).filter((l) => /"level":[456]0|alert delivered/.test(l));
  const head = `failover took ${run.failoverMs} ms, the alerts after it ${run.catchUpMs} ms, ${run.receiver.duplicates} repeated webhook-id(s)`;
  return [head, ...requests, ...said].join("\n");
}

/**
 * What riding through a failover means: the same process ran throughout and
 * stopped cleanly; each story was accepted once, under one webhook-id; a
 * story was re-sent (same webhook-id, which the receiver ignores) at most
 * `repeats` times; and the log named the failover in a few lines, without stacks.
 */
export function expectRodeThrough(run: FailoverFlowResult, repeats: number): void {
  const summary = flowSummary(run);
  expect(run.ranThroughout, summary).toBe(true);
  expect(run.exitCode, summary).toBe(0);
  const byStory = idsByStory(run.receiver);
  expect([...byStory.keys()].sort(), summary).toEqual(run.stories.map((s) => s.title).sort());
  expect([...byStory.values()].map((ids) => ids.size), summary).toEqual(run.stories.map(() => 1));
  expect(run.receiver.accepted.size, summary).toBe(run.stories.length);
  expect(run.receiver.duplicates, summary).toBeLessThanOrEqual(repeats);

  const since = lines(run.output.slice(run.outputAtFailover));
  const failoverLines = since.filter((l) => /fail(ed)?[ -]?over/i.test(l));
  expect(failoverLines.length, summary).toBeGreaterThanOrEqual(1);
  expect(failoverLines.length, summary).toBeLessThanOrEqual(3);
  expect(since.filter((l) => /"level":[56]0/.test(l)).length, summary).toBeLessThanOrEqual(2);
  expect(stackLines(run.output)).toEqual([]);
  expect(run.output).not.toContain("Unhandled error event");
}
