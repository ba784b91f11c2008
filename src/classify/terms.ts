/**
 * Compiles configured phrases into one regex. Phrases match case-insensitively
 * on word boundaries; space and hyphen are interchangeable ("anti-ship" finds
 * "anti ship"); a trailing `*` takes any word ending. Phrases in scripts
 * without spaces between words (Chinese) or with attached prefixes (Arabic,
 * Persian) match without boundaries.
 */

import { buildDictionary, findInDictionary, type Match, type TermDictionary } from "./term-dictionary.js";

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

/**
 * The ending a term's last word may take: plural -s/-es, or -ies for a final
 * consonant + y ("militaries"), so a lexicon need not list every plural.
 */
function inflection(word: string): { stem: string; ending: string } {
  if (/[^aeiouAEIOU]y$/.test(word)) return { stem: word.slice(0, -1), ending: "(?:y|ies)" };
  if (/[A-Z]$/.test(word)) return { stem: word, ending: "s?" };
  if (/[a-z]$/.test(word)) return { stem: word, ending: "(?:e?s)?" };
  return { stem: word, ending: "" };
}

/** Regex source for one phrase; with `inflect`, its last word also matches its plural. */
export function phraseSource(phrase: string, inflect = false): string {
  const wildcard = phrase.endsWith("*");
  const body = (wildcard ? phrase.slice(0, -1) : phrase).trim();
  const words = body.split(/[\s\-‐‑–]+/).filter((w) => w.length > 0);
  const lastWord = words.length - 1;
  const core = words
    .map((w, i) => {
      if (!inflect || wildcard || i !== lastWord) return escape(w).replace(/'/g, "['’]");
      const { stem, ending } = inflection(w);
      return escape(stem).replace(/'/g, "['’]") + ending;
    })
    .join("[\\s\\-‐‑–]+");
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
export function compilePhrases(phrases: readonly string[], flags = "giu", inflect = false): RegExp {
  const unique = [...new Set(phrases.map((p) => p.trim()).filter((p) => p.length > 0))];
  if (unique.length === 0) return /(?!)/gu;
  unique.sort((a, b) => b.length - a.length);
  return new RegExp(unique.map((p) => phraseSource(p, inflect)).join("|"), flags);
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

/**
 * A list of terms, matched by word lookup (term-dictionary.ts): ordinary
 * terms case-insensitively, terms written in capitals (UAV, SAM, OFAC) only
 * as written, so that an acronym never matches an ordinary word. Each term
 * also matches its plural. Terms in scripts without spaces between words go
 * to a regex instead.
 */
export interface TermMatcher {
  dictionary: TermDictionary;
  /** Terms the dictionary cannot split into words, or null when there are none. */
  regex: RegExp | null;
}

const ACRONYM = /^[A-Z0-9][A-Z0-9-]{1,5}$/;
/** Terms whose words are separated as in Latin-script text. */
const SPACED = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}\s\-‐‑–.'’*]+$/u;

export function compileTerms(terms: readonly string[]): TermMatcher {
  const trimmed = terms.map((t) => t.trim()).filter((t) => t.length > 0);
  const spaced = trimmed.filter((t) => SPACED.test(t));
  const other = trimmed.filter((t) => !SPACED.test(t));
  return {
    dictionary: buildDictionary(spaced.map((phrase) => ({ phrase, exactCase: ACRONYM.test(phrase) && /[A-Z]/.test(phrase) }))),
    regex: other.length > 0 ? compilePhrases(other, "giu", true) : null,
  };
}

/** The terms of a matcher found in a text, in order of position. */
export function findTerms(matcher: TermMatcher, text: string): Match[] {
  const found = findInDictionary(matcher.dictionary, text);
  if (matcher.regex === null) return found;
  return [...found, ...matchAll(matcher.regex, text)].sort((a, b) => a.start - b.start);
}
