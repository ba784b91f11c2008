/** The alert a story's verdict calls for, as every channel delivers it (the dedupe stage sends it; replay asks whether a channel would). */
import type { Alert, Classification, Dedupe, Story } from "../model/index.js";

export function alertOf(kind: Alert["kind"], story: Story, classification: Classification, dedupe: Dedupe): Alert {
  const { id, title, link, source, published, description } = story;
  return { version: 1, kind, story: { id, title, link, source, published, description }, classification, dedupe };
}
