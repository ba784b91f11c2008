/**
 * Reads JSON lines from a stream for the offline commands. A line that is
 * not UTF-8 text, not JSON, or not what the schema wants is reported on
 * stderr with its number and skipped, never fatal; `rejected` counts them so
 * the command can exit 1 (JSONL_EXIT_HELP). A byte order mark before line 1
 * is dropped. The input is split on raw bytes, so a line that is not UTF-8
 * is seen as such (a text decoder would have hidden it behind U+FFFD), and
 * messages never quote its bytes: binary input cannot drive the terminal.
 */
import { isUtf8 } from "node:buffer";
import type { z } from "zod";
import { formatIssues } from "../config/load.js";
import { printable } from "../printable.js";
import { println } from "./command.js";
import { coerceError } from "../errors.js";

/** The exit status rule of the commands that read JSONL, for their --help. */
export const JSONL_EXIT_HELP = `Exit status: 0 when every line was read, 1 when a line was skipped (the
others are still processed; each skip is reported on stderr), 2 for a
usage error.`;

export interface JsonlLine<T> {
  line: number;
  raw: Record<string, unknown>;
  value: T;
}

export interface JsonlReader<T> extends AsyncIterable<JsonlLine<T>> {
  /** Lines skipped so far (blank lines are not counted). */
  readonly rejected: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
// C0 controls other than tab and carriage return never stand raw in JSON text: such a line is binary data.
// eslint-disable-next-line no-control-regex
const BINARY = /[\u0000-\u0008\u000a-\u000c\u000e-\u001f]/;

/** The stream's lines as bytes, without their "\n" (and a "\r" before it). */
async function* byteLines(input: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  const pending: Buffer[] = [];
  const line = (last: Buffer): Buffer => {
    pending.push(last);
    const whole = pending.length === 1 ? last : Buffer.concat(pending);
    pending.length = 0;
    return whole[whole.length - 1] === 0x0d ? whole.subarray(0, -1) : whole;
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      yield line(buf.subarray(start, nl));
      start = nl + 1;
    }
    if (start < buf.length) pending.push(buf.subarray(start));
  }
  if (pending.length > 0) yield line(Buffer.alloc(0));
}

/** The line as text, or null when it is not text (invalid UTF-8 or raw control bytes). */
function lineText(bytes: Buffer, first: boolean): string | null {
  const body = first && bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
  if (!isUtf8(body)) return null;
  const text = body.toString("utf8");
  return BINARY.test(text) ? null : text;
}

export function readJsonl<T extends z.ZodType>(input: NodeJS.ReadableStream, schema: T, stderr: NodeJS.WritableStream, source = "stdin"): JsonlReader<z.output<T>> {
  let rejected = 0;
  const skip = (n: number, why: string) => {
    rejected++;
    println(stderr, printable(`${source}:${n}: ${why}; skipped`));
  };
  async function* lines(): AsyncGenerator<JsonlLine<z.output<T>>> {
    let n = 0;
    for await (const bytes of byteLines(input)) {
      n++;
      const text = lineText(bytes, n === 1);
      if (text === null) {
        skip(n, "not text (binary data?)");
        continue;
      }
      if (text.trim() === "") continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        skip(n, `invalid JSON (${coerceError(err).message})`);
        continue;
      }
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        skip(n, "expected a JSON object");
        continue;
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        skip(n, formatIssues(parsed.error.issues).join("; "));
        continue;
      }
      yield { line: n, raw: raw as Record<string, unknown>, value: parsed.data };
    }
  }
  return {
    get rejected() {
      return rejected;
    },
    [Symbol.asyncIterator]: lines,
  };
}
