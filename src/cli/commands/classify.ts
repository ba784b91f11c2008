import { classifyStory, explainStory } from "../../classify/classify.js";
import type { TopicScore } from "../../classify/score.js";
import { loadCliConfig } from "../config-arg.js";
import { println, type Command } from "../command.js";
import { InputItem, storyFromInput } from "../../eval/input-item.js";
import { JSONL_EXIT_HELP, readJsonl } from "../jsonl.js";
import { jsonLine, printable } from "../../printable.js";

export const classifyCommand: Command = {
  name: "classify",
  summary: "classify JSONL items from stdin (no Redis needed)",
  help: `usage: newswatch classify [--titles-only] < items.jsonl > classified.jsonl

Reads one JSON object per line (title, description, …) and writes each line
back with a "classification" object added: relevant, score, topics, entities,
reasons, evidence and relation. Other keys pass through untouched. A bad line
(not text, not JSON, no title) is reported on stderr with its number and
skipped. A UTF-8 byte order mark before the first line is ignored.
${JSONL_EXIT_HELP}
  --titles-only       ignore descriptions, as for feeds that carry none
  --explain           print, instead of JSON, each item's score per topic with
                      every feature's contribution (log-odds) and its terms`,
  options: { "titles-only": { type: "boolean" }, explain: { type: "boolean" } },
  async run(args, io) {
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    const { topics } = loaded.config;
    if (topics.length === 0) println(io.stderr, `newswatch classify: ${loaded.file} configures no topics; nothing is relevant`);
    const titlesOnly = args.values["titles-only"] === true;
    const explain = args.values.explain === true;
    let count = 0;
    let relevant = 0;
    const input = readJsonl(io.stdin, InputItem, io.stderr);
    for await (const { line, raw, value } of input) {
      const story = storyFromInput(value, 0, loaded.config.limits);
      const text = titlesOnly ? { ...story, description: "" } : story;
      const classification = classifyStory(text, topics);
      count++;
      if (classification.relevant) relevant++;
      if (explain) for (const l of explanation(line, text.title, explainStory(text, topics))) println(io.stdout, l);
      else println(io.stdout, jsonLine({ ...raw, classification }));
    }
    println(io.stderr, `${count} item(s) classified, ${relevant} relevant${input.rejected > 0 ? `, ${input.rejected} line(s) skipped` : ""}`);
    return input.rejected > 0 ? 1 : 0;
  },
};

const signed = (w: number) => (w >= 0 ? `+${w.toFixed(3)}` : w.toFixed(3));

/** One block per item: the headline, then per topic the sum of contributions and each feature's share. */
function explanation(line: number, title: string, scores: TopicScore[]): string[] {
  return [`line ${line}: ${printable(title)}`, ...scoreLines(scores), ""];
}

/** Per topic: the score, each feature's contribution (log-odds) with its terms, and the evidence sentence (`explain` prints these too). */
export function scoreLines(scores: TopicScore[]): string[] {
  const out: string[] = [];
  for (const s of scores) {
    out.push(`  ${s.topic}: score ${s.score.toFixed(3)} → ${s.relevant ? "relevant" : "not relevant"}${s.relation ? ` (${s.relation})` : ""}`);
    if (s.contributions.length === 0) out.push(`    ${s.reasons[0] ?? ""}`);
    for (const c of s.contributions) out.push(`    ${signed(c.weight).padStart(7)}  ${c.feature}${c.terms.length > 0 ? `  ${c.terms.map((t) => `"${t}"`).join(", ")}` : ""}`);
    if (s.evidence) out.push(`    evidence: ${s.evidence}`);
  }
  return out;
}
