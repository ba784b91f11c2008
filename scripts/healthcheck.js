#!/usr/bin/env node
/**
 * The container's health check (Dockerfile HEALTHCHECK): exits 0 when healthy, 1 when not, with one line saying why.
 *
 * It reads the config the service reads (NEWSWATCH_CONFIG, else config/default.yaml; REDIS_URL overrides the Redis):
 * - with metrics.port set, it asks the service's own /healthz, which answers only while the service's event loop
 *   runs and it reaches Redis;
 * - without it, all that can be seen from outside the process is whether the configured Redis (one server, the
 *   Sentinel group's master or a cluster) answers a PING.
 * Only the redis and metrics sections are read, so the check needs none of the alert channels' secrets.
 */
import http from "node:http";
import process from "node:process";
import { configPath, loadConfig } from "../dist/src/config/load.js";
import { createRedisClient } from "../dist/src/queues/connection.js";
import { checkConfigFiles } from "../dist/src/service/config-file-check.js";

/** Docker's own timeout (HEALTHCHECK --timeout) must be longer. */
const TIMEOUT_MS = 5_000;

function healthz(host, port) {
  const target = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const url = `http://${target.includes(":") ? `[${target}]` : target}:${port}/healthz`;
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: TIMEOUT_MS }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ ok: res.statusCode === 200, line: `${url}: ${res.statusCode} ${body.split("\n")[0]}` }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on("error", (err) => resolve({ ok: false, line: `${url}: ${err.message}` }));
  });
}

async function ping(section) {
  const redis = createRedisClient(section, { lazyConnect: true, connectTimeout: TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // A refused connection rejects connect() with "Connection is closed"; the reason comes as an error event.
  let cause = null;
  redis.on("error", (err) => (cause ??= err));
  try {
    await redis.connect();
    const reply = await redis.ping();
    return { ok: reply === "PONG", line: `metrics.port is not set, so there is no /healthz to ask; Redis answered ${reply}` };
  } catch (err) {
    return { ok: false, line: `metrics.port is not set; Redis did not answer a PING: ${(cause ?? err).message}` };
  } finally {
    redis.disconnect();
  }
}

let result;
try {
  const { config } = loadConfig(configPath(undefined, process.env), process.env, { env: ["redis", "metrics"], checkFiles: checkConfigFiles });
  result = config.metrics.port === undefined ? await ping(config.redis) : await healthz(config.metrics.host, config.metrics.port);
} catch (err) {
  result = { ok: false, line: err.message };
}
process.stdout.write(`${result.ok ? "healthy" : "unhealthy"}: ${result.line}\n`);
process.exit(result.ok ? 0 : 1);
