/** Reads labeled JSONL files for eval and train: every file must be readable; bad lines are reported, skipped and counted. */
import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import { coerceError } from "../errors.js";
import { LabeledItem } from "../eval/labeled.js";
import { println, type CliIO } from "./command.js";
import { readJsonl } from "./jsonl.js";

export interface LabeledFiles {
  items: LabeledItem[];
  /** Lines skipped in all the files: the command still runs, and exits 1. */
  rejected: number;
}

/** The items of every file in order, an item without an id named `file:line`; null after saying what is wrong. */
export async function readLabeledFiles(files: readonly string[], io: CliIO, command: string): Promise<LabeledFiles | null> {
  if (files.length === 0) {
    println(io.stderr, `newswatch ${command}: expected one or more labeled JSONL files (see --help)`);
    return null;
  }
  const items: LabeledItem[] = [];
  let rejected = 0;
  for (const file of files) {
    try {
      await access(file);
    } catch (err) {
      println(io.stderr, `newswatch ${command}: cannot read ${file}: ${coerceError(err).message}`);
      return null;
    }
    const input = readJsonl(createReadStream(file), LabeledItem, io.stderr, file);
    for await (const { line, value } of input) {
      items.push({ ...value, id: value.id ?? `${path.basename(file)}:${line}` });
    }
    rejected += input.rejected;
  }
  if (items.length === 0) {
    println(io.stderr, `newswatch ${command}: ${files.join(", ")} hold no labeled items`);
    return null;
  }
  return { items, rejected };
}
