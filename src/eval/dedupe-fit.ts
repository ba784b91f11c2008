/**
 * Fits the dedupe parameters listed in TUNABLE (src/dedupe/tuning.ts) to
 * labeled items. Options are ranked, in order, by:
 *  1. fewest stories of other events marked known-event (the constraint: zero
 *     wherever some option on the grids reaches zero);
 *  2. highest same-event pairwise F1;
 *  3. highest reference-event recall, when the items hold reports of it;
 *  4. nearest the current value, so that a parameter the items cannot tell
 *     apart (reference threshold without reference reports) keeps its value.
 *
 * Search is coordinate descent: each parameter in turn takes its best grid
 * value with the others fixed, for at most PASSES rounds or until a round
 * changes nothing. The first round's step runs every other grid value, then
 * the two beside the best of those (thresholds score smoothly enough that a
 * one-step peak between two worse neighbours is not worth twice the runs);
 * later rounds, which only follow what the others' new values shift, run the
 * values up to two steps either side of the current one. Cost: at most
 * Σ (⌈grid size / 2⌉ + 3) + (PASSES − 1) × 4 × parameters dedupe runs, each a
 * replay of the prepared fingerprints on a fresh in-memory store (nothing is
 * classified again); option sets already tried are not run twice.
 */
import type { DedupeOptions } from "../dedupe/dedupe.js";
import { TUNABLE, type Tunable } from "../dedupe/tuning.js";
import { REFERENCE_EVENT, runDedupe, type DedupeScores, type PreparedEvents } from "./dedupe-metrics.js";

const PASSES = 3;

export interface DedupeFit {
  options: DedupeOptions;
  /** The fitted options' scores on the items fitted on. */
  scores: DedupeScores;
  /** Dedupe runs the search made. */
  runs: number;
}

/** Negative when `a` ranks above `b` (criteria 1–3 of the header). */
export function compareScores(a: DedupeScores, b: DedupeScores): number {
  if (a.wrongKnown !== b.wrongKnown) return a.wrongKnown - b.wrongKnown;
  if (a.f1 !== b.f1) return b.f1 - a.f1;
  return (b.referenceRecall ?? 0) - (a.referenceRecall ?? 0);
}

/** Index of the grid value nearest `value`. */
function nearest(grid: readonly number[], value: number): number {
  let at = 0;
  grid.forEach((v, i) => {
    if (Math.abs(v - value) < Math.abs((grid[at] as number) - value)) at = i;
  });
  return at;
}

export async function fitDedupe(
  prepared: PreparedEvents,
  start: DedupeOptions,
  tunable: readonly Tunable[] = TUNABLE,
  referenceEvent = REFERENCE_EVENT,
): Promise<DedupeFit> {
  const tried = new Map<string, DedupeScores>();
  const score = async (options: DedupeOptions): Promise<DedupeScores> => {
    const key = JSON.stringify(tunable.map((t) => options[t.key]));
    let s = tried.get(key);
    if (!s) {
      s = await runDedupe(prepared, options, referenceEvent);
      tried.set(key, s);
    }
    return s;
  };
  let options = start;
  let scores = await score(options);
  for (let pass = 0; pass < PASSES; pass++) {
    let changed = false;
    for (const { key, values } of tunable) {
      const current = options[key];
      let best = { value: current, scores };
      const consider = async (value: number | undefined) => {
        if (value === undefined) return;
        const s = await score({ ...options, [key]: value });
        const order = compareScores(s, best.scores);
        if (order < 0 || (order === 0 && Math.abs(value - current) < Math.abs(best.value - current))) best = { value, scores: s };
      };
      const grid = [...values].sort((a, b) => a - b);
      if (pass === 0) {
        for (let i = 0; i < grid.length; i += 2) await consider(grid[i]);
        const at = nearest(grid, best.value);
        await consider(grid[at - 1]);
        await consider(grid[at + 1]);
      } else {
        const at = nearest(grid, current);
        for (const step of [-2, -1, 1, 2]) await consider(grid[at + step]);
      }
      if (best.value !== current) {
        options = { ...options, [key]: best.value };
        scores = best.scores;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return { options, scores, runs: tried.size };
}
