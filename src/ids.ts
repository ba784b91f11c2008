import { createHash } from "node:crypto";

/**
 * A deterministic hex id from content identity. BullMQ job ids may not hold
 * `:` and GUIDs often are URLs, so every identity is hashed.
 */
export function hashId(...parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\u0000");
  return h.digest("hex").slice(0, 32);
}
