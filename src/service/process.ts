/** A service process: config, Redis (started privately if need be), workers, and signal handling. */
import path from "node:path";
import { configPath, loadConfig } from "../config/load.js";
import { ConfigError } from "../errors.js";
import { createLogger } from "../logger.js";
import type { QueueName } from "../queues/names.js";
import { ensureRedis, stopRedis } from "./redis-autostart.js";
import { checkRedisAtStart, EvictionPolicyError } from "./redis-policy.js";
import { startService } from "./service.js";

export interface ProcessOptions {
  stages: readonly QueueName[];
  configFlag?: string;
  env: Record<string, string | undefined>;
}

/** Resolves with the exit code once the service has stopped (after SIGTERM/SIGINT). */
export async function runServiceProcess(options: ProcessOptions): Promise<number> {
  const log = createLogger();
  let loaded;
  try {
    loaded = loadConfig(configPath(options.configFlag, options.env), options.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(err.message + "\n");
    return 1;
  }
  const { config, file } = loaded;
  let redis;
  try {
    redis = await ensureRedis(config.redis.url, options.env, path.resolve("data"));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  if (redis.child) log.info({ dir: path.resolve("data") }, "newswatch: started a private redis-server (AOF on)");
  try {
    await checkRedisAtStart(redis.url, { allowEviction: config.redis.allowEviction, log });
  } catch (err) {
    if (!(err instanceof EvictionPolicyError)) throw err;
    process.stderr.write(`${err.message}\n`);
    await stopRedis(redis);
    return 1;
  }
  const service = await startService({ config, configFile: file, stages: options.stages, log });
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) {
        log.warn(`newswatch: second ${signal}, exiting without waiting`);
        process.exit(1);
      }
      log.info(`newswatch: ${signal} received`);
      void service
        .stop()
        .then(() => stopRedis(redis))
        .then(() => {
          // Every connection is closed by now; should a library still hold a handle, do not hang on it.
          setTimeout(() => process.exit(0), 2_000).unref();
          resolve(0);
        });
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
}
