/**
 * The alert channels a config defines, each with a stable name (used in job
 * ids and delivery records), its filters and its own settings. (The loader
 * makes the JSONL file the channel when nothing else is configured.)
 */
import type { Config } from "../config/schema.js";
import { emailName, webhookName, type EmailChannel, type FileChannel, type RateLimit, type WebhookChannel } from "../config/sections/alerts.js";
import type { Alert } from "../model/index.js";

export interface ChannelFilter {
  topics?: string[];
  minScore?: number;
}

interface ChannelBase {
  name: string;
  filter: ChannelFilter;
  rateLimit?: RateLimit;
}

export type ChannelRef =
  | (ChannelBase & { kind: "webhook"; options: WebhookChannel })
  | (ChannelBase & { kind: "email"; options: EmailChannel })
  | (ChannelBase & { kind: "file"; options: FileChannel });

export function alertChannels(config: Config): ChannelRef[] {
  const { alerts } = config;
  const out: ChannelRef[] = [];
  alerts.webhooks.forEach((w, i) =>
    out.push({ name: webhookName(w, i), kind: "webhook", filter: w, rateLimit: w.rateLimit, options: w }),
  );
  const email = alerts.email;
  if (email) out.push({ name: emailName(email), kind: "email", filter: email, rateLimit: email.rateLimit, options: email });
  if (alerts.file) out.push({ name: "file", kind: "file", filter: alerts.file, rateLimit: alerts.file.rateLimit, options: alerts.file });
  return out;
}

/** Whether a channel's filters let an alert through. */
export function channelWants(filter: ChannelFilter, alert: Alert): boolean {
  if (filter.minScore !== undefined && alert.classification.score < filter.minScore) return false;
  if (filter.topics && !filter.topics.some((t) => alert.classification.topics.includes(t))) return false;
  return true;
}
