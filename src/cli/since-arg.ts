import { parseDuration } from "../config/duration.js";

/**
 * The start of the time a command looks back over: `--since 3d` is three days
 * before `now`; without the flag, `fallback` before it. Throws on a value that
 * is not a positive duration.
 */
export function sinceTime(flag: string | undefined, now: number, fallback: number): number {
  if (flag === undefined) return now - fallback;
  const ms = parseDuration(flag);
  if (ms <= 0) throw new Error(`--since takes a positive duration, got "${flag}"`);
  return now - ms;
}
