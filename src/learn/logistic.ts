/**
 * L2-regularised logistic regression on sparse binary features, fitted by
 * Newton's method (iteratively reweighted least squares). The bias is not
 * penalised. Small and exact: a few dozen features and a few thousand rows
 * converge in under ten steps.
 */

export interface Row {
  /** Indices of the features present (value 1). */
  features: readonly number[];
  label: boolean;
}

export interface Fitted {
  bias: number;
  weights: number[];
  iterations: number;
}

export interface FitOptions {
  /** Penalty on the squared weights. @defaultValue 1 */
  l2?: number;
  /** @defaultValue 50 */
  maxIterations?: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Solves A x = b for a symmetric positive definite A (Cholesky); A is overwritten. */
export function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let i = 0; i < n; i++) {
    const ai = a[i] as number[];
    for (let j = 0; j <= i; j++) {
      const aj = a[j] as number[];
      let sum = ai[j] as number;
      for (let k = 0; k < j; k++) sum -= (ai[k] as number) * (aj[k] as number);
      if (i === j) {
        if (sum <= 0) throw new Error("learn/logistic: matrix is not positive definite");
        ai[i] = Math.sqrt(sum);
      } else ai[j] = sum / (aj[j] as number);
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (a[i]?.[k] as number) * (y[k] as number);
    y[i] = sum / (a[i]?.[i] as number);
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (a[k]?.[i] as number) * (x[k] as number);
    x[i] = sum / (a[i]?.[i] as number);
  }
  return x;
}

/** Fits weights for `dimension` features; parameter 0 of the Newton step is the bias. */
export function fitLogistic(rows: readonly Row[], dimension: number, options: FitOptions = {}): Fitted {
  const l2 = options.l2 ?? 1;
  const n = dimension + 1;
  const theta = new Array<number>(n).fill(0);
  let iterations = 0;
  for (; iterations < (options.maxIterations ?? 50); iterations++) {
    const grad = theta.map((t, j) => (j === 0 ? 0 : l2 * t));
    const hess = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j && i > 0 ? l2 : 0)));
    // A tiny ridge on the bias keeps the Hessian invertible on one-class data.
    (hess[0] as number[])[0] = 1e-9;
    for (const row of rows) {
      const idx = [0, ...row.features.map((f) => f + 1)];
      let z = 0;
      for (const j of idx) z += theta[j] as number;
      const p = sigmoid(z);
      const r = p - (row.label ? 1 : 0);
      const s = p * (1 - p);
      for (const i of idx) {
        grad[i] = (grad[i] as number) + r;
        const hi = hess[i] as number[];
        for (const j of idx) hi[j] = (hi[j] as number) + s;
      }
    }
    const step = solveSpd(hess, grad);
    let size = 0;
    step.forEach((d, j) => {
      theta[j] = (theta[j] as number) - d;
      size = Math.max(size, Math.abs(d));
    });
    if (size < 1e-7) {
      iterations++;
      break;
    }
  }
  return { bias: theta[0] as number, weights: theta.slice(1), iterations };
}
