/**
 * The alert channels a config defines, each with a stable name (used in job
 * ids and delivery records) and its filters. (The loader makes the JSONL file
 * the channel when nothing else is configured.)
 */
import type { Config } from "../config/schema.js";
import type { Alert } from "../queues/payloads.js";

export type ChannelKind = "file" | "webhook" | "email";

export interface ChannelFilter {
  topics?: string[];
  minScore?: number;
}

export interface ChannelRef {
  name: string;
  kind: ChannelKind;
  filter: ChannelFilter;
}

export function alertChannels(config: Config): ChannelRef[] {
  const { alerts } = config;
  const out: ChannelRef[] = [];
  alerts.webhooks.forEach((w, i) => out.push({ name: w.name ?? `webhook-${i + 1}`, kind: "webhook", filter: w }));
  if (alerts.email) out.push({ name: alerts.email.name ?? "email", kind: "email", filter: alerts.email });
  if (alerts.file) out.push({ name: "file", kind: "file", filter: alerts.file });
  return out;
}

/** Whether a channel's filters let an alert through. */
export function channelWants(filter: ChannelFilter, alert: Alert): boolean {
  if (filter.minScore !== undefined && alert.classification.score < filter.minScore) return false;
  if (filter.topics && !filter.topics.some((t) => alert.classification.topics.includes(t))) return false;
  return true;
}
