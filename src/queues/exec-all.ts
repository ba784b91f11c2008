/**
 * A MULTI's results, checked. ioredis resolves `exec()` even when a command
 * inside failed (WRONGTYPE, OOM): the error sits in that command's slot, and
 * the whole result is null when the transaction was aborted. Either way the
 * write did not happen as a whole, so it throws, naming what it was for.
 */
import type { ChainableCommander } from "ioredis";

export async function execAll(tx: ChainableCommander, what: string): Promise<unknown[]> {
  const results = await tx.exec();
  if (results === null) throw new Error(`${what}: the transaction was aborted`);
  const failed = results.find(([err]) => err !== null)?.[0];
  if (failed) throw new Error(`${what}: ${failed.message}`, { cause: failed });
  return results.map(([, value]) => value);
}
