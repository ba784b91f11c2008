/** Reads labeled JSONL files for eval and train: every file must be readable; bad lines are reported and skipped. */
import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import { LabeledItem } from "../eval/labeled.js";
import { println, type CliIO } from "./command.js";
import { readJsonl } from "./jsonl.js";

/** The items of every file in order, an item without an id named `file:line`; null after saying what is wrong. */
export async function readLabeledFiles(files: readonly string[], io: CliIO, command: string): Promise<LabeledItem[] | null> {
  if (files.length === 0) {
    println(io.stderr, `newswatch ${command}: expected one or more labeled JSONL files (see --help)`);
    return null;
  }
  const items: LabeledItem[] = [];
  for (const file of files) {
    try {
      await access(file);
    } catch (err) {
      println(io.stderr, `newswatch ${command}: cannot read ${file}: ${(err as Error).message}`);
      return null;
    }
    for await (const { line, value } of readJsonl(createReadStream(file), LabeledItem, io.stderr, file)) {
      items.push({ ...value, id: value.id ?? `${path.basename(file)}:${line}` });
    }
  }
  if (items.length === 0) {
    println(io.stderr, `newswatch ${command}: ${files.join(", ")} hold no labeled items`);
    return null;
  }
  return items;
}
