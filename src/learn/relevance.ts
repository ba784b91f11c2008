/** Relevance metrics: precision, recall and F1 over binary predictions, and a confusion table by item kind. */

export interface Prediction {
  /** The item's hard-negative family, or "relevant". */
  kind: string;
  actual: boolean;
  predicted: boolean;
}

export interface RelevanceMetrics {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface KindRow {
  kind: string;
  items: number;
  /** Items predicted relevant. */
  alerted: number;
  /** Share predicted correctly. */
  accuracy: number;
}

export function relevanceMetrics(predictions: readonly Prediction[]): RelevanceMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const p of predictions) {
    if (p.predicted && p.actual) tp++;
    else if (p.predicted) fp++;
    else if (p.actual) fn++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  // From the counts (the same value as 2PR/(P+R)), so that 40 of 54 with 6 false alarms is 0.8 exactly, not 0.7999….
  const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { tp, fp, fn, tn, precision, recall, f1 };
}

export function confusionByKind(predictions: readonly Prediction[]): KindRow[] {
  const rows = new Map<string, { items: number; alerted: number; correct: number }>();
  for (const p of predictions) {
    const row = rows.get(p.kind) ?? { items: 0, alerted: 0, correct: 0 };
    row.items++;
    if (p.predicted) row.alerted++;
    if (p.predicted === p.actual) row.correct++;
    rows.set(p.kind, row);
  }
  return [...rows.entries()]
    .map(([kind, r]) => ({ kind, items: r.items, alerted: r.alerted, accuracy: r.correct / r.items }))
    .sort((a, b) => (a.kind === "relevant" ? -1 : b.kind === "relevant" ? 1 : b.items - a.items));
}
