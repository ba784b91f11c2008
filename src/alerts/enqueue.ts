/** Turns one alert into one job per channel that wants it; the job id makes a repeat a no-op. */
import { hashId } from "../ids.js";
import { enqueueBulk } from "../queues/factory.js";
import type { Alert } from "../queues/payloads.js";
import type { StageContext } from "../jobs/stage.js";
import { alertChannels, channelWants } from "./channels.js";

/** Stable per story, channel and kind: the delivery's idempotency key derives from it. */
export function alertJobId(alert: Alert, channel: string): string {
  return hashId(alert.story.id, channel, alert.kind);
}

export async function enqueueAlerts(ctx: Pick<StageContext, "config" | "queues">, alert: Alert): Promise<string[]> {
  const channels = alertChannels(ctx.config).filter((c) => channelWants(c.filter, alert));
  await enqueueBulk(
    ctx.queues,
    "alert",
    channels.map((c) => ({ jobId: alertJobId(alert, c.name), data: { channel: c.name, alert } })),
  );
  return channels.map((c) => c.name);
}
