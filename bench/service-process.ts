/**
 * The real service as the process benches run it: compiled once like
 * `npm start` (or from the sources through tsx), started with a config file
 * of the bench's own, its output appended to a log.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Writable } from "node:stream";
import { PROJECT_ROOT } from "../src/paths.js";

/** How the service is started: compiled JavaScript (what `npm start` runs), or the sources through tsx. */
export type ServiceCommand = string[];

export const TSX_COMMAND: ServiceCommand = [process.execPath, "--import", "tsx", path.join(PROJECT_ROOT, "src/cli/main.ts")];

/**
 * Compiles the service once into node_modules/.cache (incremental, so a rerun
 * costs a second): a compiled process starts in a second or two, and its
 * CPU time is the service's, not the TypeScript loader's.
 */
export function buildService(): ServiceCommand {
  const out = path.join(PROJECT_ROOT, "node_modules/.cache/newswatch-crash-loop");
  const tsc = path.join(PROJECT_ROOT, "node_modules/typescript/bin/tsc");
  // Type errors elsewhere in the tree do not stop tsc from emitting; a missing file would.
  spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", out, "--tsBuildInfoFile", path.join(out, "tsbuildinfo")], { cwd: PROJECT_ROOT, stdio: "ignore" });
  const main = path.join(out, "src/cli/main.js");
  if (!existsSync(main)) throw new Error(`bench: the build left no ${main}; run from the sources (--tsx)`);
  return [process.execPath, main];
}

/** The `topics:` section of config/default.yaml, so a bench config classifies as the shipped one does. */
export function defaultTopicsYaml(): string {
  return readFileSync(path.join(PROJECT_ROOT, "config/default.yaml"), "utf8").match(/^topics:[\s\S]*?(?=^\w)/m)?.[0] ?? "";
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Resolves once its feeds are scheduled (the workers start right after), or when it exits first. */
  ready: Promise<void>;
  /** Sends the signal and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `newswatch run --config <file>`, every stage, with REDIS_URL and NEWSWATCH_CONFIG cleared so only the file counts. */
export function spawnService(command: ServiceCommand, configFile: string, log: Writable): ServiceProcess {
  const [bin, ...args] = command;
  const env = { ...process.env, REDIS_URL: undefined, NEWSWATCH_CONFIG: undefined, LOG_LEVEL: "info" };
  const child = spawn(bin!, [...args, "run", "--config", configFile], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const ready = new Promise<void>((resolve) => {
    child.stdout?.on("data", (d: Buffer) => d.toString().includes("feed(s) scheduled") && resolve());
    child.once("exit", () => resolve());
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    ready,
    async stop(signal = "SIGTERM") {
      if (exited()) return;
      const done = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill(signal);
      await done;
    },
  };
}
