/**
 * Would against was: the alert a replay would send for a story beside the one
 * the service sent. An alert is named by its kind, as its job id is (story ×
 * channel × kind), so a story that would now send a follow-up instead of a
 * new-event alert shows as one alert gone and one added.
 */
import type { AlertKind } from "../dedupe/dedupe.js";

export type { AlertKind };

/** `+` an alert the replay adds, `-` one it would not send, `=` the same alert both times. */
export type Change = "+" | "-" | "=";

export interface AlertChange {
  change: Change;
  kind: AlertKind;
}

export function alertChanges(would: AlertKind | null, was: AlertKind | null): AlertChange[] {
  if (would !== null && would === was) return [{ change: "=", kind: would }];
  const out: AlertChange[] = [];
  if (was !== null) out.push({ change: "-", kind: was });
  if (would !== null) out.push({ change: "+", kind: would });
  return out;
}

export interface ChangeCounts {
  added: number;
  removed: number;
  unchanged: number;
}

export function countChanges(changes: Iterable<AlertChange>): ChangeCounts {
  const counts: ChangeCounts = { added: 0, removed: 0, unchanged: 0 };
  for (const c of changes) {
    if (c.change === "+") counts.added++;
    else if (c.change === "-") counts.removed++;
    else counts.unchanged++;
  }
  return counts;
}
