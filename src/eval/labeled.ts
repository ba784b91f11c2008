/** A line of a labeled eval file (see ../shared/eval/README.md): an input item plus its labels. */
import { z } from "zod";
import { InputItem } from "./input-item.js";
import type { LabeledText } from "../learn/dataset.js";

export const LabeledItem = InputItem.extend({
  label: z.enum(["relevant", "irrelevant"]),
  kind: z.string().default("unknown"),
  event: z.string().nullish(),
  difficulty: z.string().nullish(),
});
export type LabeledItem = z.infer<typeof LabeledItem>;

/** The text a classifier sees: with --titles-only the description is dropped, as in feeds that carry none. */
export function itemText(item: LabeledItem, titlesOnly: boolean): { title: string; description: string } {
  return { title: item.title, description: titlesOnly ? "" : (item.description ?? "") };
}

/** What fitting and cross-validation read of a labeled item. */
export function labeledText(item: LabeledItem): LabeledText {
  return { id: String(item.id), title: item.title, description: item.description ?? "", label: item.label, kind: item.kind, event: item.event ?? null };
}
