/**
 * Retry policy of the alert queue: exponential backoff with jitter whose
 * tries span the configured horizon, and Retry-After honoured when a
 * receiver sends one. BullMQ asks the worker's backoff strategy for each
 * delay; the job's `attempts` come from the horizon.
 */
import type { AlertsSection } from "../config/sections/alerts.js";
import { retryAfterMs } from "../http/retry-after.js";

/** The `backoff.type` alert jobs carry; the alert stage's `backoffStrategy` answers for it. */
export const ALERT_BACKOFF = "alert-retry";

export interface RetryPolicy {
  horizon: number;
  delay: number;
  maxDelay: number;
  jitter: number;
}

export function retryPolicy(alerts: AlertsSection): RetryPolicy {
  return { horizon: alerts.retryHorizon, delay: alerts.retryDelay, maxDelay: alerts.retryMaxDelay, jitter: alerts.retryJitter };
}

/** A failure worth another try; `retryAfterMs` is the receiver's own wish (Retry-After). */
export class RetryableError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = this.constructor.name;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The delay before the next try after `attemptsMade` failed ones, before jitter. */
export function nominalDelay(policy: RetryPolicy, attemptsMade: number): number {
  const exp = Math.min(attemptsMade - 1, 40);
  return Math.min(policy.maxDelay, policy.delay * 2 ** Math.max(0, exp));
}

/** Tries (first one included) whose nominal delays add up to the horizon. */
export function attemptsFor(policy: RetryPolicy): number {
  let waited = 0;
  let retries = 0;
  while (waited < policy.horizon && retries < 10_000) {
    retries++;
    waited += Math.max(1, nominalDelay(policy, retries));
  }
  return retries + 1;
}

/** Jitter is symmetric around the nominal delay, so the tries still span the horizon on average. */
export function backoffDelay(policy: RetryPolicy, attemptsMade: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.horizon);
  const nominal = nominalDelay(policy, attemptsMade);
  return Math.max(0, Math.round(nominal * (1 + policy.jitter * (2 * random() - 1))));
}

/** A receiver's Retry-After (http/retry-after.ts reads it); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  return retryAfterMs(value, now) ?? undefined;
}

/** The alert stage's backoff: the receiver's Retry-After when the failure carries one, else jittered exponential. */
export function alertBackoffStrategy(policy: RetryPolicy, random: () => number = Math.random): (attemptsMade: number, err: Error) => number {
  return (attemptsMade, err) =>
    backoffDelay(policy, attemptsMade, random, err instanceof RetryableError ? err.retryAfterMs : undefined);
}
