/**
 * MinHash over word pairs with LSH banding: the "same story" layer. A story's
 * signature is split into bands; two stories that agree on a whole band are
 * candidates, so a lookup reads one bucket per band whatever the number of
 * stories remembered. The signature then estimates their Jaccard similarity.
 */

/** Signature length = BANDS × ROWS. Two rows per band make a pair at Jaccard 0.5 a candidate with p ≈ 0.99. */
export const BANDS = 16;
export const ROWS = 2;
const SIZE = BANDS * ROWS;

/** FNV-1a, 32 bits. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Fixed seeds, so that every process computes the same signatures. */
const SEEDS: number[] = Array.from({ length: SIZE }, (_, i) => fnv1a(`minhash-${i}`));

/** Word pairs (single words for one-word texts), as 32-bit hashes. */
export function shingles(words: readonly string[]): Set<number> {
  const out = new Set<number>();
  if (words.length === 1) out.add(fnv1a(words[0] as string));
  for (let i = 0; i + 1 < words.length; i++) out.add(fnv1a(`${words[i]} ${words[i + 1]}`));
  return out;
}

/** murmur3's 32-bit finaliser of x XOR seed: one cheap, well-mixed hash function per seed. */
function mix(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function signature(hashes: ReadonlySet<number>): number[] {
  const sig = new Array<number>(SIZE).fill(0xffffffff);
  for (const x of hashes) {
    for (let i = 0; i < SIZE; i++) {
      const v = mix(x, SEEDS[i] as number);
      if (v < (sig[i] as number)) sig[i] = v;
    }
  }
  return sig;
}

/** One bucket name per band: `<band>.<hash of its rows>`. */
export function bandKeys(sig: readonly number[]): string[] {
  const out: string[] = [];
  for (let b = 0; b < BANDS; b++) out.push(`${b}.${fnv1a(sig.slice(b * ROWS, (b + 1) * ROWS).join(",")).toString(36)}`);
  return out;
}

/** Share of agreeing positions: an unbiased estimate of the Jaccard similarity of the shingle sets. */
export function estimateJaccard(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** Compact text form for storage (base 36, comma-separated). */
export function encodeSignature(sig: readonly number[]): string {
  return sig.map((v) => v.toString(36)).join(",");
}

export function decodeSignature(text: string): number[] {
  return text.split(",").map((v) => parseInt(v, 36));
}
