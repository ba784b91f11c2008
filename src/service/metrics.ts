/**
 * Prometheus metrics and a health check for one service process: queue depths
 * (read from Redis at scrape time, so every process reports the same truth),
 * jobs completed and failed here, job durations, and Node's own metrics.
 * /healthz also names Redis's maxmemory-policy (redis-policy.ts), read at
 * each request, so a policy changed after start-up shows. Every other path
 * goes to the status page and Bull Board (src/status/routes.ts) when given.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Worker } from "bullmq";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RedisClient } from "../queues/connection.js";
import type { Queues } from "../queues/factory.js";
import { QUEUE_STATES } from "../status/data.js";
import { createStatusRoutes, type StatusRoutesOptions } from "../status/routes.js";
import { readEvictionPolicy } from "./redis-policy.js";
import { coerceError } from "../errors.js";

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

export function createMetrics(queues: Queues): { registry: Registry; observe(worker: Worker): void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "newswatch_" });
  new Gauge({
    name: "newswatch_queue_jobs",
    help: "Jobs in each queue by state (all processes)",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      for (const queue of Object.values(queues)) {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  const jobs = new Counter({ name: "newswatch_jobs_total", help: "Jobs finished by this process", labelNames: ["queue", "outcome"], registers: [registry] });
  const duration = new Histogram({
    name: "newswatch_job_duration_seconds",
    help: "Time a job spent in its processor",
    labelNames: ["queue"],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  return {
    registry,
    observe(worker) {
      worker.on("completed", (job) => {
        jobs.inc({ queue: worker.name, outcome: "completed" });
        if (job.processedOn && job.finishedOn) duration.observe({ queue: worker.name }, (job.finishedOn - job.processedOn) / 1000);
      });
      worker.on("failed", () => jobs.inc({ queue: worker.name, outcome: "failed" }));
    },
  };
}

/** 200 naming the eviction policy when Redis answers a PING, else 503. */
async function health(redis: RedisClient): Promise<{ status: number; body: string }> {
  try {
    await redis.ping();
  } catch (err) {
    return { status: 503, body: `redis: ${coerceError(err).message}\n` };
  }
  const { policy, error } = await readEvictionPolicy(redis);
  return { status: 200, body: `ok\nredis maxmemory-policy: ${policy ?? `unknown (${error})`}\n` };
}

/**
 * GET /metrics and GET /healthz (200 when Redis answers a PING, else 503; the body names Redis's maxmemory-policy),
 * open to anyone who reaches the port; with `status`, the status page and Bull Board on every other path.
 */
export async function startMetricsServer(registry: Registry, redis: RedisClient, port: number, host: string, status?: StatusRoutesOptions): Promise<MetricsServer> {
  const statusRoutes = status ? createStatusRoutes(status) : null;
  const server = http.createServer((req, res) => {
    const reply = (status: number, type: string, body: string) => res.writeHead(status, { "content-type": type }).end(body);
    if (req.url === "/metrics") {
      registry.metrics().then(
        (body) => reply(200, registry.contentType, body),
        (err: Error) => reply(500, "text/plain", `metrics: ${err.message}\n`),
      );
    } else if (req.url === "/healthz") {
      void health(redis).then(({ status, body }) => reply(status, "text/plain", body));
    } else if (statusRoutes) void statusRoutes(req, res);
    else reply(404, "text/plain", "not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        // Browsers keep idle connections open; they must not hold the service's stop.
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
