/** Runs the real CLI (`newswatch run`) as a child process, the way a user starts the service. */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_CONFIG_PATH, PROJECT_ROOT } from "../../src/paths.js";
import { waitFor } from "./wait-for.js";

export interface ServiceChild {
  child: ChildProcess;
  /** Everything the process wrote, stdout and stderr. */
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnCli(args: string[], env: Record<string, string | undefined>): ServiceChild {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "src/cli/main.ts"), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOG_LEVEL: "debug", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => out,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits up to `timeoutMs` for the process to exit by itself; resolves with its exit code. */
export async function exitWithin(service: ServiceChild, timeoutMs: number): Promise<number | null> {
  await waitFor(() => service.child.exitCode !== null || service.child.signalCode !== null, { timeout: timeoutMs, what: "the service to exit" });
  return service.child.exitCode;
}

/** The non-empty lines of some output. */
export function lines(text: string): string[] {
  return text.split("\n").filter((l) => l.trim() !== "");
}

/** Lines of a stack trace, raw (`    at f (file:1:2)`) or inside a JSON log line (`\n    at …`). */
export function stackLines(text: string): string[] {
  return lines(text).filter((l) => /^\s+at \S/.test(l) || /\\n\s+at \S/.test(l));
}

export interface ServiceConfigOptions {
  /** Omitted: no redis.url in the file (REDIS_URL or the default then applies). */
  redisUrl?: string;
  /** More fields of the redis: mapping, in YAML flow style (e.g. `cluster: { nodes: [...] }`). */
  redisFields?: string;
  prefix: string;
  feedUrl: string;
  /** A webhook channel; its secret is read from $NW_TEST_WEBHOOK_SECRET. */
  hookUrl: string;
  /** More top-level YAML lines. */
  extra?: string[];
}

/** A config polling one feed every second with the shipped topics, alerting by webhook: the service as a user sets it up. */
export function serviceConfigYaml(options: ServiceConfigOptions): string {
  const shipped = readFileSync(DEFAULT_CONFIG_PATH, "utf8");
  const topics = /^topics:[\s\S]*?(?=^\w)/m.exec(shipped)?.[0];
  if (!topics) throw new Error(`no topics: section found in ${DEFAULT_CONFIG_PATH}`);
  return [
    `redis: { ${options.redisUrl ? `url: "${options.redisUrl}", ` : ""}${options.redisFields ? `${options.redisFields}, ` : ""}prefix: ${options.prefix} }`,
    "defaults: { interval: 1s }",
    `feeds: [ { url: "${options.feedUrl}", name: Loopback Wire } ]`,
    topics,
    "alerts:",
    `  webhooks: [ { url: "${options.hookUrl}", secret: "\${NW_TEST_WEBHOOK_SECRET}" } ]`,
    ...(options.extra ?? []),
  ].join("\n");
}
