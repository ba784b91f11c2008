/**
 * A service process: config, Redis (waited for, or started privately where
 * that is safe), the service, and signal handling. A failure on the way up
 * leaves one message and exit 1, after closing what was opened; SIGTERM or
 * SIGINT stops the service gracefully (exit 0), a second one at once (exit 1).
 */
import path from "node:path";
import { configPath, loadConfig, type LoadedConfig } from "../config/load.js";
import { ConfigError } from "../errors.js";
import { createLogger, type Logger } from "../logger.js";
import { describeRedis, watchRedis } from "../queues/connection.js";
import type { QueueName } from "../queues/names.js";
import { stopRedis, type RedisHandle } from "./redis-autostart.js";
import { createRedisReporter } from "./redis-reporter.js";
import { openRedis } from "./redis-startup.js";
import { checkConfigFiles } from "./config-file-check.js";
import { watchConfig } from "./config-watch.js";
import { startService, type RunningService } from "./service.js";
import { startupFailureMessage } from "./startup-failure.js";

export interface ProcessOptions {
  stages: readonly QueueName[];
  configFlag?: string;
  env: Record<string, string | undefined>;
  /** --private-redis: start a private redis-server even where ./data has known another Redis. @defaultValue false */
  privateRedis?: boolean;
}

/** Once the process has said its last word, a handle a library still holds must not keep it alive. */
const EXIT_GRACE_MS = 2_000;

/** Resolves with the exit code once the service has stopped (after SIGTERM/SIGINT), or failed to start. */
export async function runServiceProcess(options: ProcessOptions): Promise<number> {
  const log = createLogger();
  const loaded = loadOrSay(options);
  if (!loaded) return 1;
  const { config, file } = loaded;
  watchRedis(createRedisReporter({ url: describeRedis(config.redis), log }));
  const stop = stopOnSignals(log);

  let redis: RedisHandle | null = null;
  let service: RunningService;
  try {
    const dataDir = path.resolve("data");
    redis = await openRedis({ config, configFile: file, env: options.env, privateRedis: options.privateRedis ?? false, dataDir, log, signal: stop.signal });
    service = await startService({ config, configFile: file, stages: options.stages, log });
  } catch (err) {
    if (redis) await stopRedis(redis);
    if (stop.signal.aborted && err === stop.signal.reason) {
      log.info("newswatch: stopped before start-up finished");
      return exitSoon(0);
    }
    process.stderr.write(`${startupFailureMessage(err)}\n`);
    return exitSoon(1);
  }

  const watcher = watchConfig({ loaded, env: options.env, service, log });
  await untilAborted(stop.signal);
  watcher.close();
  await service.stop();
  await stopRedis(redis);
  return exitSoon(0);
}

function loadOrSay(options: ProcessOptions): LoadedConfig | null {
  try {
    return loadConfig(configPath(options.configFlag, options.env), options.env, { checkFiles: checkConfigFiles });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return null;
  }
}

/** A repeat of the first signal this soon is one keypress seen twice, not a second request. */
const SAME_SIGNAL_MS = 1_000;

/**
 * The first SIGTERM/SIGINT aborts the returned controller's signal (its reason
 * is the signal's name); a second one exits at once. Ctrl-C under `npm start`
 * reaches node twice within milliseconds (from the terminal and forwarded by
 * npm), so the same signal within SAME_SIGNAL_MS does not count as a second.
 */
function stopOnSignals(log: Logger): AbortController {
  const stop = new AbortController();
  let first: { signal: NodeJS.Signals; at: number } | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first && first.signal === signal && Date.now() - first.at < SAME_SIGNAL_MS) return;
    if (stop.signal.aborted) {
      log.warn(`newswatch: second ${signal}, exiting without waiting`);
      process.exit(1);
    }
    log.info(`newswatch: ${signal} received`);
    first = { signal, at: Date.now() };
    stop.abort(signal);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  return stop;
}

const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));

function exitSoon(code: number): number {
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  return code;
}
