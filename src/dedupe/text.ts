/**
 * Text normalisation shared by both fingerprint layers: one lower-case,
 * accent-free word list per story, so that a syndicated copy with other
 * quotes, dashes or capitals reads the same.
 */

/** Function words and reporting verbs: every story has them, so they say nothing about the event. */
const STOPWORDS = new Set(
  (
    "a an the of to in on for and or with by at from as is are was were be been being has have had it its that this " +
    "these those which who whom will would can could should may might said says say saying told tells after before " +
    "over into than about but not no nor new amid against between their they them he she his her we our us up out " +
    "also more most all any some such other its per via during while where when what why how there here then so " +
    "if do does did just only own same very s"
  ).split(" "),
);

/** Lower case, no accents, plain apostrophes. */
export function normalise(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[’‘`´]/g, "'");
}

/** Every word in order (possessive `'s` dropped), stopwords included: the near-copy layer reads word pairs. */
export function words(text: string): string[] {
  return normalise(text)
    .replace(/'s\b/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** A crude plural fold ("drills" → "drill"), enough to match headline and lead wording. */
export function stem(word: string): string {
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") && !/^\d+$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Content words of a text, stemmed, without stopwords or single letters: the event layer's vocabulary. */
export function contentTerms(text: string): string[] {
  return words(text)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w))
    .map(stem);
}
