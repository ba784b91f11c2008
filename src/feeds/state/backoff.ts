/**
 * When a failing feed may be polled again: the poll interval doubled per
 * consecutive failure (1, 2, 4 … intervals), capped, and never before the
 * server's Retry-After. The scheduler keeps firing every interval; polls
 * before this time are skipped. Half an interval of slack keeps the poll
 * that falls due right at the end from being skipped by timer jitter.
 */
export interface BackoffOptions {
  now: number;
  failures: number;
  interval: number;
  maxBackoff: number;
  retryAfterMs: number | null;
}

export function backoffUntil({ now, failures, interval, maxBackoff, retryAfterMs }: BackoffOptions): number {
  const wait = Math.min(maxBackoff, interval * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return now + Math.max(wait - interval / 2, retryAfterMs ?? 0);
}
