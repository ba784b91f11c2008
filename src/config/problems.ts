/**
 * Config problems with the place they come from: `file:line:col` of the key
 * path in the YAML (yaml's LineCounter), so an editor can jump there. A path
 * the YAML does not hold (a required key left out) points at its nearest
 * ancestor that it does hold.
 */
import path from "node:path";
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import { ConfigError } from "../errors.js";
import { redactText } from "../logger.js";
import { printable } from "../printable.js";
import { keyPath, type KeyPath } from "./issues.js";

export interface LocateOptions {
  /** Point at the key of the last step rather than its value (for an unknown key). */
  key?: boolean;
}

/** A file as people read it in a message: relative to the working directory when under it. */
export function displayFile(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** Offset in the document text of the node at `at` (or of the last node on the way there). */
function offsetOf(doc: Document, at: KeyPath, options: LocateOptions = {}): number | undefined {
  let node = doc.contents as Node | null;
  let offset = node?.range?.[0];
  for (const [i, step] of at.entries()) {
    const last = i === at.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return offset;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      offset = (last && options.key) || !value?.range ? (key.range?.[0] ?? offset) : value.range[0];
      node = value;
    } else if (isSeq(node) && typeof step === "number") {
      const item = node.items[step] as Node | undefined;
      if (!item?.range) return offset;
      offset = item.range[0];
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

/** Collects problems, each with its place when the YAML has one. */
export class ProblemList {
  private readonly items: { at?: string; text: string }[] = [];

  constructor(
    private readonly file: string,
    private readonly doc?: Document,
    private readonly lines?: LineCounter,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** A problem at a key path: `key.path: text`. */
  add(at: KeyPath, text: string, options: LocateOptions = {}): void {
    const offset = this.doc ? offsetOf(this.doc, at, options) : undefined;
    this.addAt(offset, `${keyPath(at)}: ${text}`);
  }

  /** A problem at an offset of the text (a YAML syntax error), or of the whole file. */
  addAt(offset: number | undefined, text: string): void {
    const pos = offset !== undefined ? this.lines?.linePos(offset) : undefined;
    this.items.push({ at: pos ? `${displayFile(this.file)}:${pos.line}:${pos.col}` : undefined, text });
  }

  /**
   * The ConfigError for what was collected, fit for a terminal and a log: a
   * YAML error may quote a line (perhaps a URL with its password) and a key may be anything.
   */
  error(): ConfigError {
    const clean = (p: string) => printable(redactText(p), { multiline: true });
    return new ConfigError(this.file, this.items.map((i) => clean(i.text)), this.items.map((i) => i.at));
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw this.error();
  }
}
