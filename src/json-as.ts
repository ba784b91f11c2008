import type { z } from "zod";

/**
 * JSON we stored ourselves (in Redis, in a job's log), read back through its
 * schema: null when absent, not JSON, or not of that shape, so that a reader
 * skips or shows "not recorded" rather than failing on one bad value.
 */
export function parseJsonAs<T extends z.ZodType>(schema: T, text: string | null | undefined): z.output<T> | null {
  if (!text) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
