/**
 * General named-entity recognition (compromise) for the people, places and
 * organisations the config does not know. It costs about 4 ms an item, so
 * callers run it only on items where the gazetteer already found an actor.
 */
import nlp from "compromise";
import type { Entity } from "../model/index.js";

/** Titles and ranks compromise keeps in front of names ("Minister Wei Fenghe", "Brig. Gen. …"). */
const TITLE =
  /^(?:(?:president|prime|minister|defen[cs]e|foreign|deputy|state|councilor|chief|general|gen\.?|brig\.?|maj\.?|major|lt\.?|col\.?|adm\.?|admiral|rear|vice|commander|mr\.?|mrs\.?|ms\.?|dr\.?|sen\.?|senator|secretary|spokes(?:man|woman|person)|ambassador|envoy|king|prince|sheikh|ayatollah|supreme|leader|gen)(?:\s+|$))+/i;

/** Cleans one NER span: punctuation, possessive and leading titles go; what is left must look like a name. */
export function cleanName(raw: string): string | null {
  const name = raw
    .replace(/[.,;:!?"“”()[\]]+$/g, "")
    .replace(/^[.,;:!?"“”()[\]]+/g, "")
    .replace(/['’]s$/i, "")
    .replace(TITLE, "")
    .trim();
  // Short capitals ("USS", "UN") are fragments compromise mistakes for names.
  if (name.length < 3 || !/^\p{Lu}/u.test(name) || /^[A-Z]{1,3}$/.test(name)) return null;
  return name;
}

/** Merges "Raisi" into "Ebrahim Raisi" when both were found: a lone surname is the same person. */
function mergeSurnames(names: string[]): string[] {
  return names.filter((n) => n.includes(" ") || !names.some((m) => m !== n && m.endsWith(` ${n}`)));
}

export function recogniseEntities(text: string): Entity[] {
  const doc = nlp(text);
  const found: Entity[] = [];
  const take = (spans: string[], type: Entity["type"]) => {
    const names = spans.map(cleanName).filter((n): n is string => n !== null);
    for (const name of mergeSurnames([...new Set(names)])) found.push({ name, type });
  };
  take(doc.people().out("array") as string[], "person");
  take(doc.places().out("array") as string[], "place");
  take(doc.organizations().out("array") as string[], "org");
  return found;
}
