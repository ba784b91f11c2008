/**
 * Weighted cosine of two feature sets: Σ shared w² / √(Σ a w² · Σ b w²);
 * with `factor`, each feature it names has its weight in both sets scaled by it.
 */
export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, factor?: ReadonlyMap<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [f, w] of a) {
    const x = factor?.get(f) ?? 1;
    na += w * w * x * x;
    const v = b.get(f);
    if (v !== undefined) dot += w * v * x * x;
  }
  if (factor) {
    for (const [f, w] of b) {
      const x = factor.get(f) ?? 1;
      nb += w * w * x * x;
    }
  } else for (const w of b.values()) nb += w * w;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * The shared features that weigh most, heaviest first: what decided a match.
 * Ties go in order of `name` (the feature a hashed key stands for), so hashing
 * does not change which features a verdict shows.
 */
export function sharedFeatures(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, limit = 8, name = (f: string) => f): string[] {
  return [...a]
    .filter(([f]) => b.has(f))
    .map(([f, w]): [string, number] => [f, w * (b.get(f) as number)])
    .sort((x, y) => y[1] - x[1] || (name(x[0]) < name(y[0]) ? -1 : 1))
    .slice(0, limit)
    .map(([f]) => f);
}
