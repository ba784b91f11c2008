/** What every CLI command is: a name, help text, and a run function over injected I/O. */
import type { ParseArgsConfig } from "node:util";

export interface CliIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

export interface CommandArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export interface Command {
  /** e.g. "classify", or "feeds import" for a subcommand. */
  name: string;
  summary: string;
  /** Usage lines and option descriptions shown by --help. */
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  run(args: CommandArgs, io: CliIO): Promise<number>;
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  config: { type: "string", short: "c" },
  help: { type: "boolean", short: "h" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

export const COMMON_HELP = `  -c, --config PATH   config file (default: $NEWSWATCH_CONFIG or config/default.yaml)
  -h, --help          show this help`;

/** Writes one line to a stream. */
export function println(stream: NodeJS.WritableStream, line = ""): void {
  stream.write(line + "\n");
}

/** The command's one positional argument, or null after saying what was expected. */
export function onePositional(args: CommandArgs, io: CliIO, command: string, what: string): string | null {
  const [value] = args.positionals;
  if (value !== undefined && args.positionals.length === 1) return value;
  println(io.stderr, `newswatch ${command}: expected one ${what} (see --help)`);
  return null;
}
