/** The examples of labeled items for one configured topic, as the classifier sees them. */
import { buildGazetteer } from "../classify/gazetteer.js";
import { compileTopic } from "../classify/compile.js";
import type { TopicSection } from "../config/sections/topics.js";
import { buildExamples, type Example, type LabeledText } from "./dataset.js";

/** `topics` is every configured topic: the gazetteer is built from all of them, as in classification. */
export function topicExamples(items: readonly LabeledText[], topic: TopicSection, topics: readonly TopicSection[]): Example[] {
  return buildExamples(items, compileTopic(topic), buildGazetteer(topics));
}
