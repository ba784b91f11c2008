/**
 * `newswatch <command> …`: finds the command (longest name match, so "feeds
 * import" wins over "feeds") and runs it. A word that starts command names
 * ("alerts", "feeds") is a group: alone or with --help it lists the group's
 * commands.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT } from "../paths.js";
import { COMMANDS } from "./commands/index.js";
import { COMMON_HELP, COMMON_OPTIONS, println, type CliIO, type Command } from "./command.js";
import { coerceError } from "../errors.js";

const HELP_FLAGS = new Set(["--help", "-h", "help"]);

function commandList(commands: readonly Command[]): string[] {
  const width = Math.max(...commands.map((c) => c.name.length));
  return commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
}

function usage(): string {
  return [
    "usage: newswatch <command> [options]",
    "",
    "commands:",
    ...commandList(COMMANDS),
    "",
    "Run `newswatch <command> --help` for a command's options, `newswatch --version` for the version.",
  ].join("\n");
}

/** The commands under a group word ("alerts" → "alerts failed", "alerts retry" …). */
function groupOf(word: string): Command[] {
  return COMMANDS.filter((c) => c.name.startsWith(`${word} `));
}

function groupUsage(word: string, members: readonly Command[]): string {
  return [`usage: newswatch ${word} <command> [options]`, "", `${word} commands:`, ...commandList(members), "", `Run \`newswatch ${word} <command> --help\` for a command's options.`].join("\n");
}

const commandHelp = (command: Command) => `${command.help}\n${COMMON_HELP}`;

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  const byLength = [...COMMANDS].sort((a, b) => b.name.split(" ").length - a.name.split(" ").length);
  for (const command of byLength) {
    const words = command.name.split(" ");
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  return null;
}

/** The version in package.json. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version?: unknown };
  return typeof pkg.version === "string" ? pkg.version : "unknown";
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first = "", second] = argv;
  if (argv.length === 0 || HELP_FLAGS.has(first)) {
    println(argv.length === 0 ? io.stderr : io.stdout, usage());
    return argv.length === 0 ? 2 : 0;
  }
  if (first === "--version" || first === "-v") {
    println(io.stdout, `newswatch ${packageVersion()}`);
    return 0;
  }
  const found = findCommand(argv);
  const group = groupOf(first);
  // A group word alone, unknown after it, or before --help; a command of the same name ("feeds") shows its own help first.
  if (group.length > 0 && (!found || found.command.name === first)) {
    if (second !== undefined && HELP_FLAGS.has(second)) {
      println(io.stdout, [...(found ? [commandHelp(found.command)] : []), groupUsage(first, group)].join("\n\n"));
      return 0;
    }
    if (!found) {
      println(io.stderr, `${second === undefined ? "" : `newswatch: unknown command "${argv.join(" ")}"\n\n`}${groupUsage(first, group)}`);
      return 2;
    }
  }
  if (!found) {
    println(io.stderr, `newswatch: unknown command "${argv.join(" ")}"\n\n${usage()}`);
    return 2;
  }
  const { command, rest } = found;
  let args;
  try {
    args = parseArgs({ args: rest, options: { ...COMMON_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    println(io.stderr, `newswatch ${command.name}: ${coerceError(err).message}\n\n${commandHelp(command)}`);
    return 2;
  }
  if (args.values.help) {
    println(io.stdout, commandHelp(command));
    return 0;
  }
  return command.run(args, io);
}
