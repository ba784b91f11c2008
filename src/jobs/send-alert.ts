/**
 * The alert stage: delivers one alert to one channel, or flushes a digest
 * window. Order per delivery: skip if the delivery record exists, take a
 * rate-limit slot, send with the stable idempotency key, then write the
 * record. A crash between sending and recording repeats the send with the
 * same key (at-least-once, exactly-once in effect: DESIGN.md §1); nothing
 * else sends twice. Each delivery is logged at info, each try written to the
 * job's log (queues/attempts.ts). A retryable failure marks the delivery
 * for fast resume, and a send that goes through promotes the channel's
 * marked deliveries (alerts/resume.ts).
 *
 * The alert Worker must set `settings.backoffStrategy` to the stage's
 * `backoffStrategy` (alert jobs use `backoff: { type: "alert-retry" }`).
 */
import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { alertChannels, type ChannelRef } from "../alerts/channels.js";
import { findDelivery, recordDelivery } from "../alerts/delivery-record.js";
import { closeDigest, collectForDigest } from "../alerts/digest-store.js";
import { alertJobId, alertJobOptions, digestJobId } from "../alerts/enqueue.js";
import { takeRateSlot } from "../alerts/rate-limit.js";
import { noteFailing, resumeChannel } from "../alerts/resume.js";
import { alertBackoffStrategy, retryPolicy, RetryableError } from "../alerts/retry.js";
import { createSenders } from "../alerts/senders.js";
import type { Logger } from "../logger.js";
import { logAttempt } from "../queues/attempts.js";
import { enqueue } from "../queues/factory.js";
import type { Alert } from "../model/index.js";
import type { AlertDelivery, DigestFlush } from "../queues/payloads.js";
import type { StageFactory, StageContext } from "./stage.js";

export interface AlertResult {
  channel: string;
  /** "sent", "collected" (into a digest window), "already-delivered" or "empty-digest". */
  status: string;
  detail: string;
}

/** The backoff strategy for the alert Worker's `settings.backoffStrategy`. */
export function alertBackoff(ctx: Pick<StageContext, "config">) {
  return alertBackoffStrategy(retryPolicy(ctx.config.alerts));
}

/** What one delivery is, for its log lines. */
interface DeliveryWhat {
  /** Log fields naming the story (id, title) or the digest window. */
  fields: Record<string, unknown>;
  /** False for collecting into a digest window: that proves nothing about the channel's receiver. */
  reachesChannel: boolean;
}

const storyFields = (alert: Alert) => ({ story: alert.story.id, title: alert.story.title, kind: alert.kind });

export const createAlertStage: StageFactory<"alert"> = (ctx) => {
  const { config, redis, clock } = ctx;
  const prefix = config.redis.prefix;
  const channels = new Map(alertChannels(config).map((c) => [c.name, c]));
  const senders = createSenders(clock);
  // Digest hashes outlive their window plus every retry of the flush job.
  const digestTtl = (windowMs: number) => 2 * windowMs + config.alerts.retryHorizon + 3_600_000;

  /** After a send went through: the channel answers again, so its deliveries waiting out a retry go now. */
  async function resume(channel: ChannelRef, log: Logger): Promise<void> {
    try {
      const promoted = await resumeChannel(redis, prefix, ctx.queues.alert, channel.name, config.alerts.retryHorizon);
      if (promoted > 0) log.info({ channel: channel.name, promoted }, `alerts: ${channel.name} answers again; ${promoted} waiting deliver${promoted === 1 ? "y" : "ies"} sent now`);
    } catch (err) {
      // The deliveries keep their own retry schedule; a failed shortcut costs only time.
      log.warn({ channel: channel.name }, `alerts: ${channel.name}: could not resume waiting deliveries: ${(err as Error).message}`);
    }
  }

  async function deliver(job: Job, channel: ChannelRef, deliveryId: string, what: DeliveryWhat, send: () => Promise<string>, log: Logger): Promise<AlertResult> {
    const done = await findDelivery(redis, prefix, deliveryId);
    if (done) {
      log.info({ channel: channel.name, ...what.fields, deliveredAt: done.at }, "alert already delivered; not sent again");
      return { channel: channel.name, status: "already-delivered", detail: done.detail };
    }
    if (channel.rateLimit) {
      const wait = await takeRateSlot(redis, prefix, channel.name, channel.rateLimit);
      if (wait > 0) {
        // Waiting for the channel's window is not a failed try: moveToDelayed does not count an attempt.
        await job.moveToDelayed(clock.now() + wait, job.token);
        throw new DelayedError(`alerts: ${channel.name} rate limited for ${wait} ms`);
      }
    }
    const started = clock.now();
    const at = new Date(started).toISOString();
    let detail: string;
    try {
      detail = await send();
    } catch (err) {
      await logAttempt(job, { at, ms: clock.now() - started, ok: false, detail: (err as Error).message });
      if (err instanceof RetryableError && what.reachesChannel) await noteFailing(redis, prefix, channel.name, job.id ?? deliveryId, config.alerts.retryHorizon);
      throw err;
    }
    const ms = clock.now() - started;
    const [, attempt] = await Promise.all([
      recordDelivery(redis, prefix, deliveryId, { channel: channel.name, at: clock.now(), detail }, config.alerts.deliveredTtl),
      logAttempt(job, { at, ms, ok: true, detail }),
    ]);
    log.info({ channel: channel.name, ...what.fields, attempt, ms, detail }, what.reachesChannel ? "alert delivered" : "alert collected for its digest");
    if (what.reachesChannel) await resume(channel, log);
    return { channel: channel.name, status: "sent", detail };
  }

  async function collect(job: Job, channel: ChannelRef, data: AlertDelivery, windowMs: number, log: Logger): Promise<AlertResult> {
    const deliveryId = alertJobId(data.alert, channel.name);
    const what = { fields: storyFields(data.alert), reachesChannel: false };
    const result = await deliver(job, channel, deliveryId, what, async () => {
      const now = clock.now();
      const win = await collectForDigest(redis, prefix, channel.name, windowMs, now, { id: deliveryId, alert: data.alert, ttlMs: digestTtl(windowMs) });
      // Deterministic id: every alert of the window adds the same flush job, and only the first add counts.
      await enqueue(ctx.queues, "alert", digestJobId(channel.name, win.window), { channel: channel.name, digest: { window: win.window } }, {
        ...alertJobOptions(config),
        delay: Math.max(0, win.endsAt - now),
      });
      return `collected for digest window ${win.window}`;
    }, log);
    return result.status === "sent" ? { ...result, status: "collected" } : result;
  }

  async function flush(job: Job, channel: ChannelRef, data: DigestFlush, log: Logger): Promise<AlertResult> {
    if (channel.kind !== "email" || !channel.options.digest) throw new UnrecoverableError(`alerts: ${channel.name} is not a digest channel`);
    const windowMs = channel.options.digest;
    const { window } = data.digest;
    const alerts = await closeDigest(redis, prefix, channel.name, window, digestTtl(windowMs));
    if (alerts.length === 0) return { channel: channel.name, status: "empty-digest", detail: `window ${window}` };
    const label = `${new Date(window * windowMs).toISOString()} – ${new Date((window + 1) * windowMs).toISOString()}`;
    const deliveryId = digestJobId(channel.name, window);
    const options = channel.options;
    const what = { fields: { digest: label, alerts: alerts.length }, reachesChannel: true };
    return deliver(job, channel, deliveryId, what, () => senders.sendDigest(channel.name, options, deliveryId, alerts, label), log);
  }

  return {
    queue: "alert",
    concurrency: config.alerts.concurrency,
    backoffStrategy: alertBackoff(ctx),
    async process(data, job, log) {
      const channel = channels.get(data.channel);
      if (!channel) throw new UnrecoverableError(`alerts: unknown channel "${data.channel}" (removed from the config?)`);
      if ("digest" in data) return flush(job, channel, data, log);
      if (channel.kind === "email" && channel.options.digest) return collect(job, channel, data, channel.options.digest, log);
      const deliveryId = alertJobId(data.alert, channel.name);
      const what = { fields: storyFields(data.alert), reachesChannel: true };
      return deliver(job, channel, deliveryId, what, () => senders.send(channel, deliveryId, data.alert), log);
    },
    close: () => senders.close(),
  };
};
