/**
 * Where the archive lives in Redis, under the prefix's hash tag (DESIGN.md §3):
 *
 *   archive:items:<day>    stream  one entry per classify job: t (first seen, ms), n (stories), z (compressed batch)
 *   archive:decided:<day>  hash    c:<story> classification, d:<story> dedupe verdict and alerts (decisions.ts)
 *   archive:bytes          hash    items stream key → compressed bytes it holds (for the byte cap)
 *
 * <day> is the UTC date (2024-05-10) by the writing process's clock. Every
 * day key expires once the whole day is older than the span, so a day's
 * items go together and nothing outlives the span by more than a day.
 */
import { ownKey } from "../queues/connection.js";

export const DAY = 86_400_000;

export function dayOf(time: number): string {
  return new Date(Math.floor(time / DAY) * DAY).toISOString().slice(0, 10);
}

/** The UTC days from `from` to `to` inclusive, oldest first. */
export function daysBetween(from: number, to: number): string[] {
  const out: string[] = [];
  for (let d = Math.floor(from / DAY); d <= Math.floor(to / DAY); d++) out.push(dayOf(d * DAY));
  return out;
}

/** Milliseconds until every moment of `time`'s day is older than `span` (at least one). */
export function dayTtl(time: number, span: number, now: number): number {
  return Math.max(1, (Math.floor(time / DAY) + 1) * DAY + span - now);
}

export function itemsKey(prefix: string, day: string): string {
  return ownKey(prefix, "archive", "items", day);
}

export function decidedKey(prefix: string, day: string): string {
  return ownKey(prefix, "archive", "decided", day);
}

export function bytesKey(prefix: string): string {
  return ownKey(prefix, "archive", "bytes");
}
