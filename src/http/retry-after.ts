/**
 * The Retry-After header (RFC 9110 §10.2.3), read once for feed fetches and
 * webhook deliveries alike: delta-seconds or an HTTP-date, as milliseconds
 * from `now`. A date in the past means "now" (0). Anything else is null:
 * V8's Date.parse reads "-5" or "soon 12" as dates in 2001, so a date is
 * only taken when it starts with a day name, as all three HTTP-date forms do.
 * The asctime form carries no zone and means GMT; Date.parse would read it
 * as local time.
 * A wish longer than MAX_RETRY_AFTER_MS is cut to it, so a typo or a hostile
 * header cannot silence a feed or park an alert for a year.
 */

/** The longest wait a server may ask for. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

const HTTP_DATE = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i;
const ASCTIME = /^[a-z]{3} [a-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/i;

export function retryAfterMs(value: string | null | undefined, now: number): number | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS);
  if (!HTTP_DATE.test(v)) return null;
  const at = Date.parse(ASCTIME.test(v) ? `${v} GMT` : v);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}
