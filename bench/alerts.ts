/**
 * Alert delivery through the real alert queue and worker to a loopback
 * webhook receiver: alerts/s at worker concurrency 1, 10 and 50, each as a
 * ratio to signed POSTs sent straight to the same receiver at the same
 * concurrency (no queue, no Redis) in the same run; then end-to-end latency
 * (enqueue → receiver has the body) p50/p99 at a steady arrival rate.
 */
import { Agent } from "undici";
import { alertJobId, alertJobOptions } from "../src/alerts/enqueue.js";
import { postWebhook } from "../src/alerts/webhook.js";
import { WebhookChannel } from "../src/config/sections/alerts.js";
import { createRedis, keyTag } from "../src/queues/connection.js";
import { JOB_NAMES } from "../src/queues/names.js";
import type { Alert } from "../src/model/index.js";
import { alertConfig, startAlertStage, testAlert } from "../tests/helpers/alert-worker.js";
import { listen, percentile, rate, until, type BenchOptions } from "./harness.js";

const SECRET = "whsec_" + Buffer.from("bench signing key").toString("base64");

interface Receiver {
  url: string;
  /** webhook-id → arrival time (performance.now()). */
  seen: Map<string, number>;
  close(): Promise<void>;
}

async function receiver(): Promise<Receiver> {
  const seen = new Map<string, number>();
  const { server, url } = await listen((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = String(req.headers["webhook-id"]);
      if (!seen.has(id)) seen.set(id, performance.now());
      res.writeHead(204).end();
    });
  });
  return { url, seen, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

function alerts(count: number, from: number): Alert[] {
  return Array.from({ length: count }, (_, i) => testAlert(from + i));
}

async function dropKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedis(redisUrl);
  for await (const keys of redis.scanStream({ match: `${keyTag(prefix)}*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
  redis.disconnect();
}

/** Signed POSTs straight to the receiver, `concurrency` at a time: the floor for the queue's figure. */
async function directPosts(url: string, items: Alert[], concurrency: number): Promise<number> {
  const channel = WebhookChannel.parse({ url, secret: SECRET });
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < items.length; i = next++) {
        const alert = items[i]!;
        await postWebhook({ channel, name: "direct", id: `direct_${alert.story.id}`, body: JSON.stringify(alert), now: Date.now, dispatcher });
      }
    }),
  );
  const ms = performance.now() - started;
  await dispatcher.close();
  return ms;
}

async function queued(opts: BenchOptions, url: string, items: Alert[], concurrency: number, seen: Map<string, number>): Promise<number> {
  const prefix = `nwbench-alerts-${process.pid}-${concurrency}`;
  const config = alertConfig(opts.redisUrl, prefix, { webhooks: [{ name: "hook", url, secret: SECRET }] });
  const running = await startAlertStage(config, { concurrency });
  await running.worker.pause();
  const jobOpts = alertJobOptions(config);
  for (let i = 0; i < items.length; i += 500) {
    await running.ctx.queues.alert.addBulk(
      items.slice(i, i + 500).map((alert) => ({ name: JOB_NAMES.alert, data: { channel: "hook", alert }, opts: { ...jobOpts, jobId: alertJobId(alert, "hook") } })),
    );
  }
  const before = seen.size;
  const started = performance.now();
  running.worker.resume();
  await until(async () => seen.size - before >= items.length, 300_000, `${items.length} deliveries at concurrency ${concurrency}`);
  const ms = performance.now() - started;
  const failed = await running.ctx.queues.alert.getFailedCount();
  await running.close();
  await dropKeys(opts.redisUrl, prefix);
  if (failed > 0) throw new Error(`bench/alerts: ${failed} deliveries failed at concurrency ${concurrency}`);
  return ms;
}

/** Alerts enqueued one by one at `perSecond`; latency is enqueue → receiver has it. */
async function latency(opts: BenchOptions, url: string, seen: Map<string, number>, count: number, perSecond: number): Promise<{ sorted: number[]; failed: number }> {
  const prefix = `nwbench-alerts-${process.pid}-latency`;
  const config = alertConfig(opts.redisUrl, prefix, { webhooks: [{ name: "hook", url, secret: SECRET }] });
  const running = await startAlertStage(config, { concurrency: 10 });
  const jobOpts = alertJobOptions(config);
  const sentAt = new Map<string, number>();
  for (const alert of alerts(count, 1_000_000)) {
    const id = alertJobId(alert, "hook");
    sentAt.set(`msg_${id}`, performance.now());
    await running.ctx.queues.alert.add(JOB_NAMES.alert, { channel: "hook", alert }, { ...jobOpts, jobId: id });
    await new Promise((r) => setTimeout(r, 1000 / perSecond));
  }
  await until(async () => [...sentAt.keys()].every((id) => seen.has(id)), 60_000, "latency run deliveries");
  const failed = await running.ctx.queues.alert.getFailedCount();
  await running.close();
  await dropKeys(opts.redisUrl, prefix);
  return { sorted: [...sentAt].map(([id, t]) => seen.get(id)! - t).sort((a, b) => a - b), failed };
}

export async function runAlertsBench(opts: BenchOptions): Promise<string[]> {
  const count = opts.quick ? 300 : 2_000;
  const out = [`alerts: ${count} signed webhook deliveries to a loopback receiver, real alert queue and worker`];
  const rx = await receiver();
  try {
    for (const [i, concurrency] of [1, 10, 50].entries()) {
      const items = alerts(count, i * count);
      const directMs = await directPosts(rx.url, items, concurrency);
      const queueMs = await queued(opts, rx.url, items, concurrency, rx.seen);
      out.push(
        `  concurrency ${String(concurrency).padStart(2)}: ${rate(count, queueMs).padStart(8)} through the queue, ` +
          `direct POSTs ${rate(count, directMs)} (queue/direct ${(directMs / queueMs).toFixed(2)})`,
      );
    }
    const n = opts.quick ? 200 : 1_000;
    const { sorted, failed } = await latency(opts, rx.url, rx.seen, n, 100);
    out.push(
      `  latency enqueue → delivered, ${n} alerts enqueued 10 ms apart, concurrency 10: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, failed ${failed}`,
    );
  } finally {
    await rx.close();
  }
  return out;
}
