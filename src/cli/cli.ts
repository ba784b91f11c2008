/** `newswatch <command> …`: finds the command (longest name match, so "feeds import" wins over "feeds") and runs it. */
import { parseArgs } from "node:util";
import { COMMANDS } from "./commands/index.js";
import { COMMON_HELP, COMMON_OPTIONS, println, type CliIO, type Command } from "./command.js";

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "usage: newswatch <command> [options]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `newswatch <command> --help` for a command's options.",
  ].join("\n");
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  const byLength = [...COMMANDS].sort((a, b) => b.name.split(" ").length - a.name.split(" ").length);
  for (const command of byLength) {
    const words = command.name.split(" ");
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  return null;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    println(argv.length === 0 ? io.stderr : io.stdout, usage());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    println(io.stderr, `newswatch: unknown command "${argv.join(" ")}"\n\n${usage()}`);
    return 2;
  }
  const { command, rest } = found;
  let args;
  try {
    args = parseArgs({ args: rest, options: { ...COMMON_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    println(io.stderr, `newswatch ${command.name}: ${(err as Error).message}\n\n${command.help}\n${COMMON_HELP}`);
    return 2;
  }
  if (args.values.help) {
    println(io.stdout, `${command.help}\n${COMMON_HELP}`);
    return 0;
  }
  return command.run(args, io);
}

