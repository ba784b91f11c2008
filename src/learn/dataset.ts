/**
 * Labeled items as rows of feature indices. Each item gives two rows, its
 * title with its description and its title alone, as the same story reaches
 * us from feeds with and without descriptions. An item that leaves a side
 * unnamed has no features (the classifier rejects it by rule) and is kept out
 * of fitting, but not out of evaluation.
 */
import type { CompiledTopic } from "../classify/compile.js";
import { storyFeatures, type SentenceView } from "../classify/features.js";
import { findMentions, type Gazetteer } from "../classify/gazetteer.js";
import { splitSentences } from "../classify/sentences.js";

export interface LabeledText {
  id: string;
  title: string;
  description: string;
  label: "relevant" | "irrelevant";
  kind: string;
  event?: string | null;
}

export interface Example {
  item: LabeledText;
  titleOnly: boolean;
  /** Feature names present; null when a side is not named. */
  features: string[] | null;
  label: boolean;
}

function examplesOf(item: LabeledText, topic: CompiledTopic, gazetteer: Gazetteer): Example[] {
  const variants = item.description.trim() === "" ? [true] : [false, true];
  return variants.map((titleOnly) => {
    const sentences: SentenceView[] = splitSentences(item.title, titleOnly ? "" : item.description).map((text) => ({ text, mentions: findMentions(text, gazetteer) }));
    const f = storyFeatures(topic, sentences, titleOnly);
    return { item, titleOnly, features: f.missing.length > 0 ? null : f.hits.map((h) => h.name), label: item.label === "relevant" };
  });
}

export function buildExamples(items: readonly LabeledText[], topic: CompiledTopic, gazetteer: Gazetteer): Example[] {
  return items.flatMap((item) => examplesOf(item, topic, gazetteer));
}

/** The feature names seen in the examples, sorted: the model's dimensions. */
export function featureNames(examples: readonly Example[]): string[] {
  return [...new Set(examples.flatMap((e) => e.features ?? []))].sort();
}
