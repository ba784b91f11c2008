/** Runs the fitting procedure (train.ts) and packs the result as a model file. */
import type { Model } from "../classify/model.js";
import type { Example } from "./dataset.js";
import { fitWeights, metricsAt, outOfFold, selectByCv } from "./train.js";

export interface FitRecord {
  topic: string;
  files: string[];
  items: number;
  events: number;
  folds: number;
  at: string;
}

export function fitModel(examples: readonly Example[], record: FitRecord): Model {
  const chosen = selectByCv(examples, record.folds);
  const scored = outOfFold(examples, record.folds, chosen.l2);
  const f1Of = (titleOnly: boolean) => metricsAt(scored.filter((s) => s.example.titleOnly === titleOnly), chosen.thresholds).f1;
  const { bias, weights } = fitWeights(examples, chosen.l2);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    version: 1,
    bias,
    threshold: chosen.thresholds.full,
    titleThreshold: chosen.thresholds.titles,
    weights,
    trained: {
      at: record.at,
      topic: record.topic,
      files: record.files,
      items: record.items,
      events: record.events,
      l2: chosen.l2,
      cv: { folds: record.folds, f1: round(chosen.f1), precision: round(chosen.precision), recall: round(chosen.recall), f1Full: round(f1Of(false)), f1Titles: round(f1Of(true)) },
    },
  };
}
