/**
 * What one feed response means, decided from its status and headers alone
 * (miniflux's reader/fetcher/response_handler.go), so the rules are tested
 * without a server. A redirect counts only with a Location to follow; 301
 * and 308 are permanent, so a chain of them moves the feed. Retry-After is
 * read only on 429 and 503, the statuses that define it as a wait for the
 * same request. Every failure keeps its status for the feed's state.
 */
import { retryAfterMs } from "../../http/retry-after.js";

/** Response headers as undici and node:http give them: lower-case names, repeated ones as arrays. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

export type ResponseOutcome =
  | { kind: "ok" }
  | { kind: "not-modified" }
  | { kind: "redirect"; permanent: boolean; location: string }
  | { kind: "retry-later"; status: number; retryAfterMs: number | null }
  | { kind: "gone"; status: number }
  | { kind: "client-error"; status: number }
  | { kind: "server-error"; status: number }
  /** 1xx that reached us, or 3xx with nothing to follow. */
  | { kind: "unexpected"; status: number };

export type FailedResponse = Extract<ResponseOutcome, { status: number }>;

/** The first value of a header, or null. */
export function headerValue(headers: ResponseHeaders, name: string): string | null {
  const v = headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function responseOutcome(status: number, headers: ResponseHeaders, now: number): ResponseOutcome {
  if (status >= 200 && status < 300) return { kind: "ok" };
  if (status === 304) return { kind: "not-modified" };
  const location = headerValue(headers, "location");
  if (REDIRECTS.has(status) && location) return { kind: "redirect", permanent: status === 301 || status === 308, location };
  if (status === 429 || status === 503) return { kind: "retry-later", status, retryAfterMs: retryAfterMs(headerValue(headers, "retry-after"), now) };
  if (status === 410) return { kind: "gone", status };
  if (status >= 400 && status < 500) return { kind: "client-error", status };
  if (status >= 500) return { kind: "server-error", status };
  return { kind: "unexpected", status };
}
