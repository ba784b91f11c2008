/** Runs the CLI in-process through `main`, with stdin text and captured stdout/stderr. */
import { PassThrough } from "node:stream";
import { main } from "../../src/cli/cli.js";

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function runCli(argv: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  stdin.end(options.input ?? "");
  const code = await main(argv, { stdin, stdout, stderr, env: options.env ?? {} });
  return { code, out, err };
}
