/**
 * Classifies a story against every configured topic. Pure: the same story and
 * topics give the same Classification. The gazetteer pass is the only work on
 * the ~98% of stories that name no actor; lexicon categories run only when
 * every side of some topic is named, and NER only when an actor is.
 */
import type { TopicSection } from "../config/sections/topics.js";
import type { Classification, Story } from "../model/index.js";
import { compileTopics } from "./compile.js";
import { sentenceEntities, storySentences } from "./entities.js";
import { buildGazetteer } from "./gazetteer.js";
import { scoreTopic, type TopicScore } from "./score.js";

export interface ClassifyOptions {
  /** Run general NER on stories that name an actor. @defaultValue true */
  ner?: boolean;
}

function pick(scores: TopicScore[]): TopicScore | null {
  let best: TopicScore | null = null;
  for (const s of scores) if (best === null || s.score > best.score) best = s;
  return best;
}

type StoryText = Pick<Story, "title" | "description">;

/** Every topic's score with each feature's contribution: what `classify --explain` prints. */
export function explainStory(story: StoryText, topics: readonly TopicSection[]): TopicScore[] {
  const sentences = storySentences(story, buildGazetteer(topics));
  const titleOnly = story.description.trim() === "";
  return compileTopics(topics).map((topic) => scoreTopic(topic, sentences, titleOnly));
}

export function classifyStory(story: StoryText, topics: readonly TopicSection[], options: ClassifyOptions = {}): Classification {
  const gazetteer = buildGazetteer(topics);
  const sentences = storySentences(story, gazetteer);
  const entities = sentenceEntities(sentences, gazetteer, options);
  const titleOnly = story.description.trim() === "";
  const scores = compileTopics(topics).map((topic) => scoreTopic(topic, sentences, titleOnly));
  const best = pick(scores);
  const relevant = scores.filter((s) => s.relevant);
  const multi = scores.length > 1;
  return {
    relevant: relevant.length > 0,
    score: best?.score ?? 0,
    topics: relevant.map((s) => s.topic),
    entities,
    reasons: best === null ? ["no topic configured"] : best.reasons.map((r) => (multi ? `${best.topic}: ${r}` : r)),
    evidence: best?.evidence ?? null,
    // A relation names what kind of on-topic story this is; an off-topic story has none.
    relation: relevant.length > 0 ? (best?.relation ?? null) : null,
  };
}
