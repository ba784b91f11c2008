import http from "node:http";
import { afterEach, expect, it } from "vitest";
import { alertJobId, enqueueAlerts } from "../../src/alerts/enqueue.js";
import { ConfigSchema } from "../../src/config/schema.js";
import { createLogger } from "../../src/logger.js";
import { startService, type RunningService } from "../../src/service/service.js";
import { testAlert } from "../helpers/alert-worker.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";

let service: RunningService | undefined;
let receiver: WebhookReceiver | undefined;
const prefix = testPrefix("metrics");
const silent = createLogger({ level: "silent", pretty: false });

afterEach(async () => {
  await service?.stop();
  await receiver?.close();
  const redis = connect();
  await dropPrefix(redis, prefix);
  await redis.quit();
});

it("serves queue depths and a health check when metrics.port is set", async () => {
  const config = ConfigSchema.parse({ redis: { url: redisUrl(), prefix }, metrics: { port: 0 } });
  service = await startService({ config, configFile: "test.yaml", stages: ["classify"], log: silent });
  await service.ctx.queues.alert.add("send-alert", {}, { delay: 60_000 });
  const url = service.metrics?.url;
  expect(url).toBeDefined();

  const health = await fetch(`${url}/healthz`);
  expect(health.status).toBe(200);
  const body = await (await fetch(`${url}/metrics`)).text();
  expect(body).toContain('newswatch_queue_jobs{queue="alert",state="delayed"} 1');
  expect(body).toContain('newswatch_queue_jobs{queue="poll",state="waiting"} 0');
  expect(body).toContain("newswatch_process_cpu_seconds_total");
  expect((await fetch(`${url}/nope`)).status).toBe(404);
});

/** A GET with a Host header of our choice (fetch always sends the URL's own). */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/`, { headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

it("retries a failed delivery from the status page only with its CSRF token, from this origin and a loopback Host", async () => {
  receiver = await startWebhookReceiver({ reply: (call) => (call === 1 ? { status: 400 } : { status: 204 }) });
  const config = ConfigSchema.parse({ redis: { url: redisUrl(), prefix }, metrics: { port: 0 }, alerts: { webhooks: [{ name: "hook", url: receiver.url }] } });
  service = await startService({ config, configFile: "test.yaml", stages: ["alert"], log: silent });
  const alert = testAlert(7, { title: "Navies <b>drill</b> & sail" });
  await enqueueAlerts(service.ctx, alert);
  const id = alertJobId(alert, "hook");
  const url = service.metrics!.url;
  await receiver.waitFor(() => receiver!.requests.length === 1);
  await expect.poll(() => service!.ctx.queues.alert.getJobState(id)).toBe("failed");

  const res = await fetch(`${url}/`);
  expect(res.status).toBe(200);
  const session = /nw_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  const page = await res.text();
  expect(page).toContain("Navies &lt;b&gt;drill&lt;/b&gt; &amp; sail");
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  expect(session && csrf).toBeTruthy();

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/retry`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie: `nw_session=${session}`, ...headers }, body });
  expect((await post(`csrf=wrong&id=${id}`)).status).toBe(403);
  expect((await post(`csrf=${csrf}&id=${id}`, { origin: "http://evil.example" })).status).toBe(403);
  expect((await post(`csrf=${csrf}&id=${id}`, { cookie: "nw_session=another" })).status).toBe(403);
  expect(receiver.requests).toHaveLength(1);
  expect(await statusWithHost(url, "rebound.evil.example")).toBe(403);

  const ok = await post(`csrf=${csrf}&id=${id}`, { origin: url });
  expect(ok.status).toBe(303);
  expect(ok.headers.get("location")).toBe(`/?retried=${id}#failed`);
  await receiver.waitFor(() => receiver!.accepted.size === 1);
  await expect.poll(() => service!.ctx.queues.alert.getJobState(id)).toBe("completed");
  const after = await (await fetch(`${url}/?retried=${id}`)).text();
  expect(after).toContain(`Delivery ${id} is queued again.`);
  expect(after).toContain("No failed deliveries.");
  expect(after).toContain("hook: delivered");
  // Retrying what is no longer failed changes nothing.
  expect((await post(`csrf=${csrf}&id=${id}`)).headers.get("location")).toBe(`/?notfailed=${id}#failed`);
});
