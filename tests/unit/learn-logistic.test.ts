/** The logistic regression fitter on data drawn from known weights. */
import { describe, expect, it } from "vitest";
import { fitLogistic, solveSpd, type Row } from "../../src/learn/logistic.js";

/** A small deterministic generator, so the test data is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function sample(n: number, bias: number, weights: number[], seed: number): Row[] {
  const next = random(seed);
  return Array.from({ length: n }, () => {
    const features = weights.flatMap((_, j) => (next() < 0.4 ? [j] : []));
    const z = features.reduce((sum, j) => sum + (weights[j] ?? 0), bias);
    return { features, label: next() < 1 / (1 + Math.exp(-z)) };
  });
}

describe("fitLogistic", () => {
  it("recovers the weights that generated the data", () => {
    const truth = [2, -1.5, 0, 1];
    const fitted = fitLogistic(sample(20_000, -0.5, truth, 7), truth.length, { l2: 0.01 });
    expect(fitted.bias).toBeCloseTo(-0.5, 0);
    fitted.weights.forEach((w, j) => expect(Math.abs(w - (truth[j] ?? 0))).toBeLessThan(0.15));
    expect(fitted.iterations).toBeLessThan(15);
  });

  it("shrinks weights as the L2 penalty grows, and leaves the bias free", () => {
    const rows = sample(2_000, 0, [3, -3], 11);
    const norm = (l2: number) => fitLogistic(rows, 2, { l2 }).weights.reduce((s, w) => s + w * w, 0);
    expect(norm(100)).toBeLessThan(norm(1));
    expect(norm(1)).toBeLessThan(norm(0.01));
  });

  it("stays finite on perfectly separable data", () => {
    const rows: Row[] = [
      { features: [0], label: true },
      { features: [0], label: true },
      { features: [], label: false },
      { features: [], label: false },
    ];
    const fitted = fitLogistic(rows, 1, { l2: 1 });
    expect(Number.isFinite(fitted.weights[0])).toBe(true);
    expect(fitted.weights[0]).toBeGreaterThan(0);
  });
});

describe("solveSpd", () => {
  it("solves a symmetric positive definite system", () => {
    const x = solveSpd(
      [
        [4, 2, 0],
        [2, 5, 1],
        [0, 1, 3],
      ],
      [2, 3, 4],
    );
    const check = [4 * x[0]! + 2 * x[1]!, 2 * x[0]! + 5 * x[1]! + x[2]!, x[1]! + 3 * x[2]!];
    check.forEach((v, i) => expect(v).toBeCloseTo([2, 3, 4][i]!, 9));
  });

  it("refuses a matrix that is not positive definite", () => {
    expect(() =>
      solveSpd(
        [
          [1, 2],
          [2, 1],
        ],
        [1, 1],
      ),
    ).toThrow(/not positive definite/);
  });
});
