/**
 * Classification throughput on one core over a synthetic stream in which about
 * one item in 50 names an actor, as in real world-news feeds. The baseline is
 * the keyword alert ("Iran" AND "China" AND a military word) on the same items.
 * A last pass, where every item names both sides, measures the learned features'
 * full cost (every lexicon category, NER on every item).
 */
import { classifyStory } from "../src/classify/classify.js";
import { loadConfig } from "../src/config/load.js";
import { keywordAlert } from "../src/eval/baseline.js";
import { DEFAULT_CONFIG_PATH } from "../src/paths.js";

const SUBJECTS = ["City council", "Central bank", "Football club", "Storm", "Tech giant", "Court", "Hospital", "Airline", "Union", "Museum"];
const VERBS = ["approves", "delays", "announces", "rejects", "reviews", "expands", "cuts", "opens", "closes", "defends"];
const OBJECTS = ["new budget", "rate decision", "stadium plan", "flight schedule", "strike action", "exhibition", "wage deal", "data centre"];
const PLACES = ["in Lyon", "in Ohio", "near Osaka", "in Lagos", "across Bavaria", "in Peru", "in Queensland", "in Ontario"];
const ACTOR_ITEMS = [
  ["Chinese frigates dock at Bandar Abbas ahead of joint drill", "The Iranian navy will host the ships for four days."],
  ["Iran and China discuss crude sales", "Officials in Tehran said oil exports to Beijing rose."],
  ["Iran tests a new missile", "State media said the Revolutionary Guards launched it from the desert."],
  ["Beijing urges restraint after strikes on Iran", "The foreign ministry spokesperson called for a ceasefire."],
];

/** A small deterministic generator, so every run measures the same stream. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function stream(n: number): { title: string; description: string }[] {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  return Array.from({ length: n }, (_, i) => {
    if (i % 50 === 25) {
      const [title, description] = pick(ACTOR_ITEMS);
      return { title: title ?? "", description: description ?? "" };
    }
    const title = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(PLACES)}`;
    const description = `${pick(SUBJECTS)} officials said on Monday that the ${pick(OBJECTS)} would be ${pick(VERBS).replace(/s$/, "ed")} ${pick(PLACES)}. ${pick(SUBJECTS)} leaders ${pick(VERBS)} the ${pick(OBJECTS)}.`;
    return { title, description };
  });
}

function perSecond(items: readonly unknown[], fn: (i: number) => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < items.length; i++) fn(i);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return items.length / (ms / 1000);
}

export async function runClassifyBench(opts: { redisUrl: string; quick: boolean }): Promise<string[]> {
  const { topics } = loadConfig(DEFAULT_CONFIG_PATH, {}).config;
  const items = stream(opts.quick ? 5_000 : 50_000);
  // Warm up the regexes, memoised topic compilation and NER once.
  for (const item of stream(3_000)) classifyStory(item, topics);
  // Counting what each pass decides keeps the work observable (and reported).
  let alerts = 0;
  let relevant = 0;
  let relevantTitles = 0;
  const baseline = perSecond(items, (i) => {
    if (keywordAlert(items[i] ?? { title: "", description: "" })) alerts++;
  });
  const ours = perSecond(items, (i) => {
    if (classifyStory(items[i] ?? { title: "", description: "" }, topics).relevant) relevant++;
  });
  const titles = items.map((it) => ({ title: it.title, description: "" }));
  const oursTitles = perSecond(titles, (i) => {
    if (classifyStory(titles[i] ?? { title: "", description: "" }, topics).relevant) relevantTitles++;
  });
  // The worst case for the learned features: every item names both sides, so every lexicon category runs.
  const dense = items.map((_, i) => {
    const [title, description] = ACTOR_ITEMS[i % ACTOR_ITEMS.length] ?? ["", ""];
    return { title: `${title} (${i})`, description: description ?? "" };
  });
  let relevantDense = 0;
  const oursDense = perSecond(dense, (i) => {
    if (classifyStory(dense[i] ?? { title: "", description: "" }, topics).relevant) relevantDense++;
  });
  const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
  return [
    `classify: ${items.length} items, 1 in 50 names an actor (NER runs on those)`,
    `  keyword alert (baseline)     ${fmt(baseline)} items/s  (${alerts} alerts)`,
    `  classifier, title+desc       ${fmt(ours)} items/s  (${(ours / baseline).toFixed(3)}× baseline; target ≥ 5,000; ${relevant} relevant)`,
    `  classifier, titles only      ${fmt(oursTitles)} items/s  (${(oursTitles / baseline).toFixed(3)}× baseline; ${relevantTitles} relevant)`,
    `  classifier, every item naming both sides  ${fmt(oursDense)} items/s  (${(oursDense / baseline).toFixed(3)}× baseline; ${relevantDense} relevant)`,
  ];
}
