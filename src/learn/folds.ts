/**
 * Event-held-out folds: every item of one event lands in the same fold, so a
 * model is never tested on an event it was trained on. Items without an event
 * stand alone. Assignment is by a hash of the group id, so it is the same on
 * every run and does not depend on file order; folds are then balanced by
 * placing the largest groups first.
 */
import { createHash } from "node:crypto";

export interface Grouped {
  id: string;
  event?: string | null;
}

export const groupOf = (item: Grouped): string => item.event ?? `item:${item.id}`;

const hashOf = (text: string) => createHash("sha1").update(text).digest().readUInt32BE(0);

/** Fold index per item (0 … k-1). */
export function eventFolds(items: readonly Grouped[], k: number): number[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`learn/folds: need at least 2 folds, got ${k}`);
  const sizes = new Map<string, number>();
  for (const item of items) sizes.set(groupOf(item), (sizes.get(groupOf(item)) ?? 0) + 1);
  if (sizes.size < k) throw new Error(`learn/folds: ${sizes.size} event group(s) cannot fill ${k} folds`);
  const groups = [...sizes.entries()].sort((a, b) => b[1] - a[1] || hashOf(a[0]) - hashOf(b[0]));
  const load = new Array<number>(k).fill(0);
  const foldOf = new Map<string, number>();
  for (const [group, size] of groups) {
    let best = 0;
    for (let f = 1; f < k; f++) if ((load[f] as number) < (load[best] as number)) best = f;
    foldOf.set(group, best);
    load[best] = (load[best] as number) + size;
  }
  return items.map((item) => foldOf.get(groupOf(item)) ?? 0);
}
