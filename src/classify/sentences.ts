/**
 * Splits a story into sentences: the headline is always its own sentence
 * (it carries the most weight), then the description at sentence ends. "U.S."
 * or "Brig. Gen." do not end a sentence.
 */

/** Words whose final dot is an abbreviation, not a sentence end. */
const ABBREVIATION = /(?:^|[\s(])(?:[A-Z]\.)+$|(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|Gen|Brig|Maj|Lt|Col|Adm|Capt|Cmdr|Rep|Sen|Gov|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Co|Corp|Inc|Ltd|Int'l|vs|approx)\.$/;

export function splitSentences(title: string, description: string): string[] {
  const out: string[] = [];
  const head = title.trim();
  if (head) out.push(head);
  const text = description.replace(/\s+/g, " ").trim();
  let start = 0;
  // A sentence ends at . ! or ? (maybe closed by a quote) followed by a space and a capital, digit or quote.
  const end = /[.!?]["'”’)]?\s+(?=["'“‘(]?[\p{Lu}\p{N}])/gu;
  for (let m = end.exec(text); m !== null; m = end.exec(text)) {
    const candidate = text.slice(start, m.index + 1);
    if (ABBREVIATION.test(candidate)) continue;
    out.push(text.slice(start, m.index + m[0].length).trim());
    start = m.index + m[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}
