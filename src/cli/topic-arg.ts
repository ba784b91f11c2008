import type { TopicSection } from "../config/sections/topics.js";
import { println, type CliIO, type CommandArgs } from "./command.js";

/** The topic named by --topic, or the only one configured; null after saying why there is none. */
export function pickTopic(topics: readonly TopicSection[], args: CommandArgs, io: CliIO, command: string): TopicSection | null {
  const flag = typeof args.values.topic === "string" ? args.values.topic : undefined;
  const ids = topics.map((t) => t.id).join(", ") || "none";
  if (flag !== undefined) {
    const topic = topics.find((t) => t.id === flag);
    if (topic) return topic;
    println(io.stderr, `newswatch ${command}: no topic ${flag} in the config (topics: ${ids})`);
    return null;
  }
  if (topics.length === 1 && topics[0]) return topics[0];
  println(io.stderr, `newswatch ${command}: name the topic with --topic (topics: ${ids})`);
  return null;
}
