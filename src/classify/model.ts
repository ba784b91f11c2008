/**
 * A learned model: one log-odds weight per feature (see features.ts), a bias
 * and the decision threshold, with a record of how it was fitted. Written by
 * `newswatch train`, read when the config is loaded.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { PROJECT_ROOT } from "../paths.js";
import { coerceError } from "../errors.js";

/** The model shipped with newswatch, fitted on data/labeled (see data/labeled/README.md). */
export const BUILTIN_MODEL_PATH = path.join(PROJECT_ROOT, "config", "models", "default.json");

export const Model = z.strictObject({
  version: z.literal(1),
  bias: z.number(),
  threshold: z.number().min(0).max(1).describe("Score at or above which a story with a description is relevant"),
  titleThreshold: z.number().min(0).max(1).describe("The same for a headline alone"),
  weights: z.record(z.string(), z.number()).describe("Feature name → log-odds added when the feature is present"),
  trained: z
    .strictObject({
      at: z.string(),
      topic: z.string(),
      files: z.array(z.string()),
      items: z.number().int(),
      events: z.number().int(),
      l2: z.number(),
      cv: z.record(z.string(), z.number()).describe("Event-held-out cross-validated figures of the fitting procedure"),
    })
    .describe("How the weights were fitted"),
});
export type Model = z.infer<typeof Model>;

/** Reads and checks a model file; an invalid one is an error naming the file and the key. */
export function readModel(file: string): Model {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`classify/model: cannot read ${file}: ${coerceError(err).message}`);
  }
  const result = Model.safeParse(raw);
  if (result.success) return result.data;
  throw new Error(`classify/model: ${file}: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
}

/** log-odds → probability. */
export const logistic = (z: number): number => 1 / (1 + Math.exp(-z));

/** The probability a linear model gives the features present: the logistic of the bias plus their weights. */
export function probability(model: Pick<Model, "bias" | "weights">, features: readonly string[]): number {
  return logistic(features.reduce((sum, f) => sum + (model.weights[f] ?? 0), model.bias));
}
