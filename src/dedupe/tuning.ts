/**
 * The dedupe parameters fitted on labeled data, each with the grid of values
 * the fitter tries (src/eval/dedupe-fit.ts; `newswatch eval FILE --cv K`).
 * Append a parameter here to have it fitted: the fitter reads this list
 * generically. Its cost grows with the sum of the grid sizes, not their
 * product, so keep each grid to a few dozen values at most.
 *
 * duplicateThreshold is not fitted: it is a MinHash Jaccard for near-copies,
 * a property of syndication rather than of how events are labeled.
 */
import type { DedupeOptions } from "./dedupe.js";

/** The numeric options, the only ones a grid can hold. */
export type NumericOption = { [K in keyof DedupeOptions]-?: DedupeOptions[K] extends number ? K : never }[keyof DedupeOptions];

export interface Tunable {
  key: NumericOption;
  values: readonly number[];
  /** How reports show the values: divided by `size`, followed by `name` (e.g. milliseconds as days). */
  unit?: { name: string; size: number };
}

/** from, from + step, … to (inclusive), rounded to the step's decimals. */
function grid(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; from + i * step <= to + step / 2; i++) out.push(Math.round((from + i * step) * 1000) / 1000);
  return out;
}

export const TUNABLE: readonly Tunable[] = [
  // Weighted cosines (to a cluster, to a reference article), from loose topic overlap to near-rewrites.
  // A topic with few telling names (Russia–North Korea) fits an event threshold near 0.1, so the grid starts below it.
  { key: "eventThreshold", values: grid(0.04, 0.4, 0.02) },
  { key: "referenceThreshold", values: grid(0.1, 0.4, 0.02) },
  // Merging two clusters a story matches: at or above the event threshold's range, up to near-rewrites.
  { key: "mergeThreshold", values: grid(0.25, 0.6, 0.05) },
  // How long an event gathers reports, in days; the time factor weighs the distance inside it. Redis keeps a
  // story's state a window long, so memory grows with it: the grid stops at a week.
  { key: "window", values: [2, 3, 4, 5, 7].map((d) => d * 86_400_000), unit: { name: "d", size: 86_400_000 } },
  // Half-life of the time factor, in days (0: time does not count).
  { key: "halfLife", values: [0, 1, 2, 3, 4, 6, 8, 12].map((d) => d * 86_400_000), unit: { name: "d", size: 86_400_000 } },
  // Discount of features found in many recent clusters (decide.ts): off, then up to a strong one.
  { key: "idfStrength", values: [0, 0.25, 0.5, 1, 1.5, 2, 3, 4, 6] },
  // What a gap between a story's cosines with a cluster's first story and its profile costs: from the better
  // of the two (0) through their mean (0.5) to the lower (1).
  { key: "disagreement", values: grid(0, 1, 0.125) },
];
