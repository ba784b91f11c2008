import { z } from "zod";
import { Duration } from "../duration.js";
import { fromEnv } from "../env-field.js";

const ChannelName = z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ - only");

/** Per-channel limit shared by every worker process (a Redis counter per channel and window). */
export const RateLimit = z
  .strictObject({
    max: z.number().int().positive().describe("Deliveries allowed per window"),
    per: Duration.describe("Window length, e.g. 1m"),
  })
  .describe("Per-channel rate limit; an over-limit delivery waits for the next window without using a retry");
export type RateLimit = z.infer<typeof RateLimit>;

const Common = {
  topics: z.array(z.string()).optional().describe("Only alert on these topic ids"),
  minScore: z.number().min(0).max(1).optional().describe("Only alert at or above this score"),
  rateLimit: RateLimit.optional(),
};

export const WebhookChannel = z.strictObject({
  name: ChannelName.optional().describe("Channel name (defaults to webhook-N)"),
  url: fromEnv(z.string().url()).describe("Receiver URL; may hold ${ENV_VAR} (tokens in the path)"),
  secret: fromEnv(z.string()).optional().describe("Signing secret, whsec_… (base64) or raw; use ${ENV_VAR}"),
  headers: z.record(z.string(), fromEnv(z.string())).default({}).describe("Extra request headers, e.g. Authorization: Bearer ${TOKEN}"),
  timeout: Duration.default(10_000).describe("Per-request timeout"),
  ...Common,
});
export type WebhookChannel = z.infer<typeof WebhookChannel>;

export const EmailChannel = z.strictObject({
  name: ChannelName.optional(),
  smtp: fromEnv(z.string()).describe("SMTP URL: smtps:// for TLS, smtp:// for STARTTLS when offered; credentials via ${ENV_VAR}"),
  user: fromEnv(z.string()).optional().describe("SMTP user (overrides the URL's); use ${ENV_VAR}"),
  pass: fromEnv(z.string()).optional().describe("SMTP password (overrides the URL's); use ${ENV_VAR}"),
  /**
   * Refuse to send unless STARTTLS succeeds, so credentials never cross the
   * network in cleartext.
   * @defaultValue true when a user or password is set (here or in the URL), else false; `smtps://` is TLS from the start
   */
  requireTLS: z
    .boolean()
    .optional()
    .describe(
      "Refuse to send unless STARTTLS succeeds. Default: true when a user or password is set (here or in the smtp URL), else false; false lets credentials go in cleartext",
    ),
  maxConnections: z.number().int().positive().default(5).describe("Pooled SMTP connections per process"),
  timeout: Duration.default(30_000).describe("Connection and greeting timeout"),
  from: fromEnv(z.string().min(1)),
  to: z.array(fromEnv(z.string().min(1))).min(1),
  subject: z
    .string()
    .default("[newswatch] {title}")
    .describe("Subject template: {title} {source} {score} {topics} {verdict} {kind}"),
  digest: Duration.optional().describe("Collect alerts for this window and send them as one email, e.g. 30m"),
  ...Common,
});
export type EmailChannel = z.infer<typeof EmailChannel>;

export const FileChannel = z.strictObject({
  path: z.string().min(1).describe("JSONL file to append alerts to (relative to the config file)"),
  ...Common,
});
export type FileChannel = z.infer<typeof FileChannel>;

/** A webhook channel's name: its own, else `webhook-N` by position. */
export function webhookName(channel: { name?: string }, index: number): string {
  return channel.name ?? `webhook-${index + 1}`;
}

export function emailName(channel: { name?: string }): string {
  return channel.name ?? "email";
}

export const AlertsSection = z
  .strictObject({
    file: FileChannel.optional(),
    webhooks: z.array(WebhookChannel).default([]),
    email: EmailChannel.optional(),
    retryHorizon: Duration.default(24 * 3_600_000).describe("How long a failing delivery keeps being retried"),
    retryDelay: Duration.default(5_000).describe("First retry delay; doubles each try up to retryMaxDelay"),
    retryMaxDelay: Duration.default(3_600_000).describe("Longest wait between two tries"),
    retryJitter: z.number().min(0).max(1).default(0.2).describe("Fraction of each delay that is random"),
    deliveredTtl: Duration.default(7 * 86_400_000).describe("How long a completed delivery is remembered (never re-sent)"),
    concurrency: z.number().int().positive().default(10).describe("Deliveries in flight per worker process"),
  })
  .superRefine((alerts, ctx) => {
    // Names key job ids, delivery records and rate limits: two channels must never share one.
    const names = alerts.webhooks.map(webhookName);
    if (alerts.email) names.push(emailName(alerts.email));
    if (alerts.file) names.push("file");
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) ctx.addIssue({ code: "custom", path: ["webhooks"], message: `channel name "${dup}" is used twice` });
  })
  .prefault({});
export type AlertsSection = z.infer<typeof AlertsSection>;
