/**
 * Webhook delivery per the Standard Webhooks spec: `webhook-id` (stable per
 * story and channel, so a receiver can drop a repeat), `webhook-timestamp`
 * (this try's time) and `webhook-signature: v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>`. 2xx is success; 408, 429, 5xx and network errors are
 * retried (Retry-After honoured); any other status fails at once. The start
 * of an error response's body goes into the failure reason.
 */
import { createHmac } from "node:crypto";
import { UnrecoverableError } from "bullmq";
import { request, type Dispatcher } from "undici";
import type { WebhookChannel } from "../config/sections/alerts.js";
import { originOf, safeLine } from "../logger.js";
import { parseRetryAfter, RetryableError } from "./retry.js";
import { coerceError } from "../errors.js";

const WHSEC = "whsec_";

/** `whsec_…` secrets are base64 after the prefix (the spec's form); anything else is used as raw bytes. */
export function secretKey(secret: string): Buffer {
  const key = secret.startsWith(WHSEC) ? Buffer.from(secret.slice(WHSEC.length), "base64") : Buffer.from(secret, "utf8");
  if (key.length === 0) throw new Error("alerts/webhook: empty signing secret");
  return key;
}

export function signWebhook(secret: string, id: string, timestampSec: number, body: string): string {
  const mac = createHmac("sha256", secretKey(secret)).update(`${id}.${timestampSec}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/** Headers the Standard Webhooks spec reserves: a configured header of these names (in any letter case) is dropped. */
const SIGNING_HEADERS = new Set(["webhook-id", "webhook-timestamp", "webhook-signature"]);

/**
 * Configured headers replace the built-in content-type and user-agent
 * whatever their letter case (names are sent in lower case, so that no
 * header goes out twice); they can never replace the signing headers.
 */
export function webhookHeaders(channel: WebhookChannel, id: string, nowMs: number, body: string): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "newswatch-webhook/1" };
  for (const [name, value] of Object.entries(channel.headers)) {
    const lower = name.toLowerCase();
    if (!SIGNING_HEADERS.has(lower)) headers[lower] = value;
  }
  headers["webhook-id"] = id;
  headers["webhook-timestamp"] = String(timestamp);
  if (channel.secret) headers["webhook-signature"] = signWebhook(channel.secret, id, timestamp, body);
  return headers;
}

export type Outcome = { ok: true } | { ok: false; retry: boolean; retryAfterMs?: number };

export function webhookOutcome(status: number, retryAfter: string | undefined, now: number): Outcome {
  if (status >= 200 && status < 300) return { ok: true };
  if (status === 408 || status === 429 || status >= 500) return { ok: false, retry: true, retryAfterMs: parseRetryAfter(retryAfter, now) };
  return { ok: false, retry: false };
}

export interface WebhookSend {
  channel: WebhookChannel;
  name: string;
  id: string;
  body: string;
  now: () => number;
  dispatcher: Dispatcher;
  /** Stops the request early (worker shutdown); the channel's timeout applies either way. */
  signal?: AbortSignal;
}

/** The longest part of an error response's body kept for the failure reason. */
const BODY_EXCERPT_BYTES = 200;

/**
 * The start of a response body as one short line for a failure reason: a
 * receiver's "invalid signature" or "unknown hook" is what an operator needs.
 * Printable (no control characters) and with URL credentials blanked, since
 * the reason is stored in Redis and shown by `alerts failed`.
 */
export async function bodyExcerpt(body: AsyncIterable<Buffer>, maxBytes = BODY_EXCERPT_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys the stream: an error response's rest is not worth the wait.
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) break;
  }
  const text = Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8");
  const line = safeLine(text).replace(/\s+/g, " ").trim();
  return size > maxBytes ? `${line}…` : line;
}

/** POSTs one signed body; resolves with the status, throws RetryableError or UnrecoverableError. */
export async function postWebhook(send: WebhookSend): Promise<string> {
  const { channel, name } = send;
  const where = `alerts/webhook: ${name} (${originOf(channel.url)})`;
  let status: number;
  let retryAfter: string | undefined;
  let excerpt = "";
  try {
    const res = await request(channel.url, {
      method: "POST",
      headers: webhookHeaders(channel, send.id, send.now(), send.body),
      body: send.body,
      dispatcher: send.dispatcher,
      headersTimeout: channel.timeout,
      bodyTimeout: channel.timeout,
      signal: send.signal ? AbortSignal.any([AbortSignal.timeout(channel.timeout), send.signal]) : AbortSignal.timeout(channel.timeout),
    });
    status = res.statusCode;
    const header = res.headers["retry-after"];
    retryAfter = Array.isArray(header) ? header[0] : header;
    if (status >= 200 && status < 300) await res.body.dump();
    // The status decides; a body that cannot be read only leaves the reason shorter.
    else excerpt = await bodyExcerpt(res.body).catch(() => "");
  } catch (err) {
    throw new RetryableError(`${where}: ${coerceError(err).message}`, { cause: err });
  }
  const outcome = webhookOutcome(status, retryAfter, send.now());
  if (outcome.ok) return `HTTP ${status}`;
  const answered = `HTTP ${status}${excerpt ? ` ${JSON.stringify(excerpt)}` : ""}`;
  if (!outcome.retry) throw new UnrecoverableError(`${where}: ${answered}, not retried`);
  throw new RetryableError(`${where}: ${answered}`, { retryAfterMs: outcome.retryAfterMs });
}
