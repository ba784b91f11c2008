/**
 * The delivery sequence of the alert stage without Redis or BullMQ: the
 * stage function with the in-memory stores, the real senders and a loopback
 * webhook receiver, and the job helpers played by hand (each run is one try).
 */
import { UnrecoverableError } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { alertChannels } from "../../src/alerts/channels.js";
import { alertJobId } from "../../src/alerts/enqueue.js";
import { memoryAlertStores, type MemoryAlertStores } from "../../src/alerts/memory-stores.js";
import { alertBackoffStrategy, retryPolicy, RetryableError } from "../../src/alerts/retry.js";
import { createSenders, type Senders } from "../../src/alerts/senders.js";
import { ConfigSchema } from "../../src/config/schema.js";
import { sendAlert, type AlertDeps, type AlertResult } from "../../src/jobs/send-alert.js";
import { createLogger } from "../../src/logger.js";
import type { AttemptLine } from "../../src/queues/attempts.js";
import { testAlert } from "../helpers/alert-worker.js";
import { Delayed, testHelpers } from "../helpers/job-helpers.js";
import { startWebhookReceiver, type Reply, type WebhookReceiver } from "../helpers/webhook-receiver.js";

const SECRET = "whsec_" + Buffer.from("delivery unit test key").toString("base64");
const log = createLogger({ level: "silent", pretty: false });

describe("the alert stage's delivery sequence, in memory", () => {
  let receiver: WebhookReceiver | undefined;
  let senders: Senders | undefined;
  afterEach(async () => {
    await senders?.close();
    await receiver?.close();
    senders = undefined;
    receiver = undefined;
  });

  /** One webhook channel "hook" at the receiver; `now` is the clock every store and the stage read. */
  async function setup(reply: (call: number) => Reply, webhook: Record<string, unknown> = {}) {
    receiver = await startWebhookReceiver({ secret: SECRET, reply });
    const config = ConfigSchema.parse({ alerts: { retryDelay: 1_000, retryJitter: 0, webhooks: [{ name: "hook", url: receiver.url, secret: SECRET, timeout: 2_000, ...webhook }] } });
    // Starts at the real time only because the receiver checks signature timestamps against it; the stage reads this clock alone.
    const clock = { t: Date.now(), now: () => clock.t };
    const promoted: string[] = [];
    const stores: MemoryAlertStores = memoryAlertStores(clock, {
      deliveredTtl: config.alerts.deliveredTtl,
      promote: async (_channel, id) => Boolean(promoted.push(id)),
    });
    senders = createSenders(clock, config.stages.alert);
    const deps: AlertDeps = {
      ...stores,
      channels: new Map(alertChannels(config).map((c) => [c.name, c])),
      senders,
      enqueueFlush: () => Promise.reject(new Error("no digest channel here")),
      clock,
      retryHorizon: config.alerts.retryHorizon,
    };
    const lines: AttemptLine[] = [];
    /** One try of the job, as the n-th (1-based) try. */
    const run = (alert = testAlert(1), attempt = 1, overrides: Partial<AlertDeps> = {}): Promise<AlertResult> =>
      sendAlert({ channel: "hook", alert }, { ...deps, ...overrides, ...testHelpers(log, { attempt, lines }) });
    return { config, clock, stores, deps, lines, promoted, run, receiver };
  }

  it("a crash between send and record sends again under the same webhook-id, records once, then never sends again", async () => {
    const { stores, run, receiver, lines } = await setup(() => ({ status: 200 }));
    const alert = testAlert(1);
    const id = alertJobId(alert, "hook");
    let recorded = 0;
    let crashes = 1;
    const deliveries = {
      find: stores.deliveries.find,
      async record(...args: Parameters<typeof stores.deliveries.record>) {
        // The process dies after the receiver took the alert and before the record is written.
        if (crashes-- > 0) throw new Error("worker killed");
        recorded++;
        return stores.deliveries.record(...args);
      },
    };
    await expect(run(alert, 1, { deliveries })).rejects.toThrow("worker killed");
    expect(await stores.deliveries.find(id)).toBeNull();
    expect(await run(alert, 2, { deliveries })).toMatchObject({ status: "sent", detail: "HTTP 200" });
    expect(await run(alert, 3, { deliveries })).toMatchObject({ status: "already-delivered", detail: "HTTP 200" });

    expect(receiver.requests.map((r) => r.id)).toEqual([`msg_${id}`, `msg_${id}`]);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
    // The receiver drops the repeat by its id: one alert accepted.
    expect([...receiver.accepted.keys()]).toEqual([`msg_${id}`]);
    expect(receiver.duplicates).toBe(1);
    expect(recorded).toBe(1);
    expect(await stores.deliveries.find(id)).toMatchObject({ channel: "hook", detail: "HTTP 200" });
    expect(lines.filter((l) => l.ok)).toHaveLength(2);
  });

  it("retries a 5xx with growing backoff (Retry-After when given) under one id, then resumes the channel's other failed deliveries", async () => {
    const replies: Reply[] = [{ status: 503 }, { status: 500 }, { status: 429, headers: { "retry-after": "7" } }];
    const { config, stores, run, receiver, lines, promoted } = await setup((call) => replies[call - 1] ?? { status: 200 });
    const backoff = alertBackoffStrategy(retryPolicy(config.alerts), () => 0.5);
    const alert = testAlert(2);
    const id = alertJobId(alert, "hook");
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const err = await run(alert, attempt).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(RetryableError);
      delays.push(backoff(attempt, err as Error));
      expect(stores.failingOf("hook")).toEqual([id]);
    }
    expect(delays).toEqual([1_000, 2_000, 7_000]);
    // Another delivery noted as failing goes on when this one gets through.
    await stores.failing.note("hook", "other-delivery");
    expect(await run(alert, 4)).toMatchObject({ status: "sent" });
    expect(promoted.sort()).toEqual([id, "other-delivery"].sort());
    expect(stores.failingOf("hook")).toEqual([]);

    expect(new Set(receiver.requests.map((r) => r.id))).toEqual(new Set([`msg_${id}`]));
    expect(receiver.accepted.size).toBe(1);
    expect(lines.map((l) => [l.ok, l.detail.replace(/ ".*"$/, "")])).toEqual([
      [false, expect.stringMatching(/HTTP 503$/)],
      [false, expect.stringMatching(/HTTP 500$/)],
      [false, expect.stringMatching(/HTTP 429$/)],
      [true, "HTTP 200"],
    ]);
  });

  it("holds a channel to its rate limit: the run over the limit is delayed to the window's end, sends nothing and spends no try", async () => {
    const { clock, run, receiver, lines } = await setup(() => ({ status: 200 }), { rateLimit: { max: 2, per: 1_000 } });
    await run(testAlert(3));
    clock.t += 300;
    await run(testAlert(4));
    const over = await run(testAlert(5)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(over).toBeInstanceOf(Delayed);
    expect((over as Delayed).ms).toBe(700);
    expect(receiver.requests).toHaveLength(2);
    expect(lines).toHaveLength(2);
    clock.t += 700;
    expect(await run(testAlert(5))).toMatchObject({ status: "sent" });
    expect(receiver.accepted.size).toBe(3);
  });

  it("fails a 4xx for good: unrecoverable, its try logged, nothing recorded or noted for resume", async () => {
    const { stores, run, receiver, lines } = await setup(() => ({ status: 404, body: "no such hook" }));
    const alert = testAlert(6);
    const err = await run(alert).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect((err as Error).message).toMatch(/HTTP 404 "no such hook", not retried/);
    expect(receiver.requests).toHaveLength(1);
    expect(lines).toEqual([expect.objectContaining({ ok: false, detail: expect.stringMatching(/HTTP 404/) })]);
    expect(await stores.deliveries.find(alertJobId(alert, "hook"))).toBeNull();
    expect(stores.failingOf("hook")).toEqual([]);
  });

  it("stops a send in flight when the signal fires, as a retryable failure", async () => {
    const { deps, receiver } = await setup(() => "hang");
    const stop = new AbortController();
    const sending = sendAlert({ channel: "hook", alert: testAlert(7) }, { ...deps, ...testHelpers(log, { signal: stop.signal }) });
    await receiver.waitFor(() => receiver.requests.length === 1, 5_000);
    const before = Date.now();
    stop.abort(new Error("worker shutting down"));
    await expect(sending).rejects.toBeInstanceOf(RetryableError);
    // Well before the channel's 2 s timeout.
    expect(Date.now() - before).toBeLessThan(1_000);
  });
});
