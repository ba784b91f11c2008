import { z } from "zod";
import { Duration } from "../duration.js";

const Filters = {
  topics: z.array(z.string()).optional().describe("Only alert on these topic ids"),
  minScore: z.number().min(0).max(1).optional().describe("Only alert at or above this score"),
};

export const WebhookChannel = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/).optional().describe("Channel name (defaults to webhook-N)"),
  url: z.string().url(),
  secret: z.string().optional().describe("Signing secret, whsec_… or raw; use ${ENV_VAR}"),
  headers: z.record(z.string(), z.string()).default({}).describe("Extra request headers"),
  timeout: Duration.default(10_000),
  ...Filters,
});

export const EmailChannel = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
  smtp: z.string().describe("SMTP URL, smtp:// or smtps://; credentials via ${ENV_VAR}"),
  from: z.string().min(1),
  to: z.array(z.string().min(1)).min(1),
  ...Filters,
});

export const FileChannel = z.strictObject({
  path: z.string().min(1).describe("JSONL file to append alerts to (relative to the config file)"),
  ...Filters,
});

export const AlertsSection = z
  .strictObject({
    file: FileChannel.optional(),
    webhooks: z.array(WebhookChannel).default([]),
    email: EmailChannel.optional(),
    retryHorizon: Duration.default(24 * 3_600_000).describe("How long a failing delivery keeps being retried"),
  })
  .prefault({});
