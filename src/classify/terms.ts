/**
 * Compiles configured phrases into one regex. Phrases match case-insensitively
 * on word boundaries; space and hyphen are interchangeable ("anti-ship" finds
 * "anti ship"); a trailing `*` takes any word ending. Phrases in scripts
 * without spaces between words (Chinese) or with attached prefixes (Arabic,
 * Persian) match without boundaries.
 */

const LATIN_EDGE = /^[\p{Script=Latin}\p{N}]$/u;

/** The key a phrase and a matched text share: lower case, one space between words, plain apostrophes. */
export function phraseKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[\s\-‐‑–]+/g, " ")
    .trim();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Regex source for one phrase. */
export function phraseSource(phrase: string): string {
  const wildcard = phrase.endsWith("*");
  const body = (wildcard ? phrase.slice(0, -1) : phrase).trim();
  const words = body.split(/[\s\-‐‑–]+/).filter((w) => w.length > 0);
  const core = words.map((w) => escape(w).replace(/'/g, "['’]")).join("[\\s\\-‐‑–]+");
  const first = body[0] ?? "";
  const last = body[body.length - 1] ?? "";
  const before = LATIN_EDGE.test(first) ? "(?<![\\p{L}\\p{N}])" : "";
  const after = wildcard ? "[\\p{L}\\p{N}]*" : LATIN_EDGE.test(last) ? "(?![\\p{L}\\p{N}])" : "";
  return `${before}${core}${after}`;
}

/**
 * One alternation over many phrases, longest first so that "South China Sea"
 * wins over "China" and "defense minister" over "defense".
 */
export function compilePhrases(phrases: readonly string[], flags = "giu"): RegExp {
  const unique = [...new Set(phrases.map((p) => p.trim()).filter((p) => p.length > 0))];
  if (unique.length === 0) return /(?!)/gu;
  unique.sort((a, b) => b.length - a.length);
  return new RegExp(unique.map(phraseSource).join("|"), flags);
}

/** Every non-overlapping match of a compiled phrase regex, with its position. */
export function matchAll(pattern: RegExp, text: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}
