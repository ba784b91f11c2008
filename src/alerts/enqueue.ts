/**
 * Turns one alert into one job per channel that wants it; the job id makes a
 * repeat a no-op. Every alert job gets as many tries as fit the retry
 * horizon and the alert queue's custom backoff (see retry.ts).
 */
import type { JobsOptions } from "bullmq";
import type { Config } from "../config/schema.js";
import { hashId } from "../ids.js";
import { enqueueBulk, jobOptions, type Queues } from "../queues/factory.js";
import type { Alert } from "../model/index.js";
import { alertChannels, channelWants } from "./channels.js";
import { ALERT_BACKOFF, attemptsFor, retryPolicy } from "./retry.js";

/** Stable per story, channel and kind: the delivery's idempotency key derives from it. */
export function alertJobId(alert: Alert, channel: string): string {
  return hashId(alert.story.id, channel, alert.kind);
}

/** Stable per digest channel and window: the digest email's idempotency key derives from it. */
export function digestJobId(channel: string, window: number): string {
  return hashId("digest", channel, String(window));
}

/** The pipeline's retention (config `stages`), with tries and backoff of the alert queue's own. */
export function alertJobOptions(config: Pick<Config, "alerts" | "stages">): JobsOptions {
  return { ...jobOptions(config.stages), attempts: attemptsFor(retryPolicy(config.alerts)), backoff: { type: ALERT_BACKOFF } };
}

export async function enqueueAlerts(ctx: { config: Config; queues: Queues }, alert: Alert): Promise<string[]> {
  const channels = alertChannels(ctx.config).filter((c) => channelWants(c.filter, alert));
  const options = alertJobOptions(ctx.config);
  await enqueueBulk(
    ctx.queues,
    "alert",
    channels.map((c) => ({ jobId: alertJobId(alert, c.name), data: { channel: c.name, alert }, options })),
  );
  return channels.map((c) => c.name);
}
