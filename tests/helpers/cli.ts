/** Runs the CLI in-process through `main`, with stdin text and captured stdout/stderr. */
import { PassThrough } from "node:stream";
import { main } from "../../src/cli/cli.js";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export interface CliOptions {
  /** stdin: one text, or byte chunks written one at a time (to split a line or a character across reads). */
  input?: string | readonly (string | Buffer)[];
  env?: Record<string, string>;
  /** How stderr bytes are read: latin1 shows every byte, for tests of what reaches a terminal. @defaultValue utf8 */
  stderrEncoding?: BufferEncoding;
}

export async function runCli(argv: string[], options: CliOptions = {}): Promise<CliResult> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => (err += d.toString(options.stderrEncoding)));
  const input = options.input ?? "";
  for (const chunk of typeof input === "string" ? [input] : input) stdin.write(chunk);
  stdin.end();
  const code = await main(argv, { stdin, stdout, stderr, env: options.env ?? {} });
  return { code, out, err };
}
