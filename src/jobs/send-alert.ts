/**
 * The alert stage: delivers one alert to one channel, or flushes a digest
 * window. Order per delivery: skip if the delivery record exists, take a
 * rate-limit slot, send with the stable idempotency key, then write the
 * record. A crash between sending and recording repeats the send with the
 * same key (at-least-once, exactly-once in effect: DESIGN.md §1); nothing
 * else sends twice. A rate-limited delivery runs again when the channel's
 * window reopens, without spending a try. Each delivery is logged at info,
 * each try written to the attempt log. A retryable failure marks the
 * delivery for fast resume, and a send that goes through resumes the
 * channel's marked deliveries (alerts/resume.ts).
 *
 * `sendAlert` takes every effect as an argument (alerts/stores.ts): the
 * service binds the Redis stores, unit tests the in-memory ones.
 */
import { UnrecoverableError } from "bullmq";
import { alertChannels, type ChannelRef } from "../alerts/channels.js";
import { alertJobId, alertJobOptions, digestJobId } from "../alerts/enqueue.js";
import { redisAlertStores } from "../alerts/redis-stores.js";
import { alertBackoffStrategy, retryPolicy, RetryableError } from "../alerts/retry.js";
import { createSenders, type Senders } from "../alerts/senders.js";
import type { AlertStores } from "../alerts/stores.js";
import type { Clock } from "../clock.js";
import { coerceError } from "../errors.js";
import type { Alert } from "../model/index.js";
import { enqueue } from "../queues/factory.js";
import type { AlertDelivery, AlertJob, DigestFlush } from "../queues/payloads.js";
import type { JobHelpers, StageFactory } from "./stage.js";

export interface AlertResult {
  channel: string;
  /** "sent", "collected" (into a digest window), "already-delivered" or "empty-digest". */
  status: string;
  detail: string;
}

/** The alert stage's effects, bound once per stage; the job helpers come with each run. */
export interface AlertDeps extends AlertStores {
  channels: ReadonlyMap<string, ChannelRef>;
  senders: Senders;
  /** Adds the job that flushes a digest window after `delayMs`; its id is per window, so only the first add counts. */
  enqueueFlush(channel: string, window: number, delayMs: number): Promise<void>;
  clock: Clock;
  /** alerts.retryHorizon: digest windows are kept past it. */
  retryHorizon: number;
}

type RunDeps = AlertDeps & JobHelpers;

/** What one delivery is, for its log lines. */
interface DeliveryWhat {
  /** Log fields naming the story (id, title) or the digest window. */
  fields: Record<string, unknown>;
  /** False for collecting into a digest window: that proves nothing about the channel's receiver. */
  reachesChannel: boolean;
}

/** How long deliveries in flight may finish when the stage closes (jobs/stage.ts `abortGrace`). */
const ALERT_ABORT_GRACE = 10_000;

const storyFields = (alert: Alert) => ({ story: alert.story.id, title: alert.story.title, kind: alert.kind });

/** Digest windows outlive their window plus every retry of the flush job. */
const digestTtl = (deps: RunDeps, windowMs: number) => 2 * windowMs + deps.retryHorizon + 3_600_000;

/** After a send went through: the channel answers again, so its deliveries waiting out a retry go now. */
async function resume(channel: ChannelRef, deps: RunDeps): Promise<void> {
  try {
    const promoted = await deps.failing.resume(channel.name);
    if (promoted > 0) deps.log.info({ channel: channel.name, promoted }, `alerts: ${channel.name} answers again; ${promoted} waiting deliver${promoted === 1 ? "y" : "ies"} sent now`);
  } catch (err) {
    // The deliveries keep their own retry schedule; a failed shortcut costs only time.
    deps.log.warn({ channel: channel.name }, `alerts: ${channel.name}: could not resume waiting deliveries: ${coerceError(err).message}`);
  }
}

async function deliver(channel: ChannelRef, deliveryId: string, what: DeliveryWhat, send: () => Promise<string>, deps: RunDeps): Promise<AlertResult> {
  const { clock, log } = deps;
  const done = await deps.deliveries.find(deliveryId);
  if (done) {
    log.info({ channel: channel.name, ...what.fields, deliveredAt: done.at }, "alert already delivered; not sent again");
    return { channel: channel.name, status: "already-delivered", detail: done.detail };
  }
  if (channel.rateLimit) {
    const wait = await deps.rateLimiter.take(channel.name, channel.rateLimit);
    // Waiting for the channel's window is not a failed try.
    if (wait > 0) return deps.delay(wait, `alerts: ${channel.name} rate limited for ${wait} ms`);
  }
  const started = clock.now();
  const at = new Date(started).toISOString();
  let detail: string;
  try {
    detail = await send();
  } catch (err) {
    await deps.attempt.log({ at, ms: clock.now() - started, ok: false, detail: coerceError(err).message });
    if (err instanceof RetryableError && what.reachesChannel) await deps.failing.note(channel.name, deliveryId);
    throw err;
  }
  const ms = clock.now() - started;
  const [, attempt] = await Promise.all([
    deps.deliveries.record(deliveryId, { channel: channel.name, at: clock.now(), detail }),
    deps.attempt.log({ at, ms, ok: true, detail }),
  ]);
  log.info({ channel: channel.name, ...what.fields, attempt, ms, detail }, what.reachesChannel ? "alert delivered" : "alert collected for its digest");
  if (what.reachesChannel) await resume(channel, deps);
  return { channel: channel.name, status: "sent", detail };
}

async function collect(channel: ChannelRef, data: AlertDelivery, windowMs: number, deps: RunDeps): Promise<AlertResult> {
  const deliveryId = alertJobId(data.alert, channel.name);
  const what = { fields: storyFields(data.alert), reachesChannel: false };
  const result = await deliver(channel, deliveryId, what, async () => {
    const now = deps.clock.now();
    const win = await deps.digests.collect(channel.name, windowMs, now, { id: deliveryId, alert: data.alert, ttlMs: digestTtl(deps, windowMs) });
    await deps.enqueueFlush(channel.name, win.window, Math.max(0, win.endsAt - now));
    return `collected for digest window ${win.window}`;
  }, deps);
  return result.status === "sent" ? { ...result, status: "collected" } : result;
}

async function flush(channel: ChannelRef, data: DigestFlush, deps: RunDeps): Promise<AlertResult> {
  if (channel.kind !== "email" || !channel.options.digest) throw new UnrecoverableError(`alerts: ${channel.name} is not a digest channel`);
  const windowMs = channel.options.digest;
  const { window } = data.digest;
  const alerts = await deps.digests.close(channel.name, window, digestTtl(deps, windowMs));
  if (alerts.length === 0) return { channel: channel.name, status: "empty-digest", detail: `window ${window}` };
  const label = `${new Date(window * windowMs).toISOString()} – ${new Date((window + 1) * windowMs).toISOString()}`;
  const deliveryId = digestJobId(channel.name, window);
  const options = channel.options;
  const what = { fields: { digest: label, alerts: alerts.length }, reachesChannel: true };
  return deliver(channel, deliveryId, what, () => deps.senders.sendDigest(channel.name, options, deliveryId, alerts, label, deps.signal), deps);
}

/** One run of the alert stage: a delivery, a digest collection or a digest flush, by the payload and the channel. */
export async function sendAlert(data: AlertJob, deps: RunDeps): Promise<AlertResult> {
  const channel = deps.channels.get(data.channel);
  if (!channel) throw new UnrecoverableError(`alerts: unknown channel "${data.channel}" (removed from the config?)`);
  if ("digest" in data) return flush(channel, data, deps);
  if (channel.kind === "email" && channel.options.digest) return collect(channel, data, channel.options.digest, deps);
  const deliveryId = alertJobId(data.alert, channel.name);
  const what = { fields: storyFields(data.alert), reachesChannel: true };
  return deliver(channel, deliveryId, what, () => deps.senders.send(channel, deliveryId, data.alert, deps.signal), deps);
}

export const createAlertStage: StageFactory<"alert"> = (ctx) => {
  const { config, clock } = ctx;
  const senders = createSenders(clock, config.stages.alert);
  const deps: AlertDeps = {
    ...redisAlertStores(ctx.redis, config.redis.prefix, ctx.queues.alert, config.alerts),
    channels: new Map(alertChannels(config).map((c) => [c.name, c])),
    senders,
    enqueueFlush: (channel, window, delayMs) =>
      enqueue(ctx.queues, "alert", digestJobId(channel, window), { channel, digest: { window } }, { ...alertJobOptions(config), delay: delayMs }),
    clock,
    retryHorizon: config.alerts.retryHorizon,
  };
  return {
    queue: "alert",
    concurrency: config.alerts.concurrency,
    // A send that outlives this is cut off: the shutdown (or a config reload) does not wait on a hung receiver.
    abortGrace: ALERT_ABORT_GRACE,
    backoffStrategy: alertBackoffStrategy(retryPolicy(config.alerts)),
    run: (data, helpers) => sendAlert(data, { ...deps, ...helpers }),
    close: () => senders.close(),
  };
};
