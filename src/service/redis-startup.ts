/**
 * Redis at start-up: start a private server when that is safe
 * (private-redis.ts), then wait until Redis answers — however long it is
 * away or refusing us, with one line per retry step from the reporter — and
 * check that it will not evict our keys. Returns once Redis is usable;
 * aborting the signal (SIGTERM while waiting) gives up the wait.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { displayFile } from "../config/problems.js";
import type { Config } from "../config/schema.js";
import { StartupError, coerceError } from "../errors.js";
import { redactUrl, type Logger } from "../logger.js";
import { createRedisClient, redisTrouble, type RedisClient } from "../queues/connection.js";
import { isPrivateServer, planRedis, readMarker, redisNamedBy, writeMarker } from "./private-redis.js";
import { answers, ensureRedis, redisAddress, redisServerOnPath, stopRedis, type RedisHandle } from "./redis-autostart.js";
import { checkEvictionPolicy } from "./redis-policy.js";

export interface RedisStartupOptions {
  config: Config;
  configFile: string;
  env: Record<string, string | undefined>;
  /** --private-redis */
  privateRedis: boolean;
  /** Where a private server keeps its data, and the marker of a real one lives (./data). */
  dataDir: string;
  log: Logger;
  signal: AbortSignal;
}

export async function openRedis(options: RedisStartupOptions): Promise<RedisHandle> {
  const { config, log } = options;
  const { url } = config.redis;
  // A cluster or a Sentinel group is never a private server's to replace: wait for it.
  let handle: RedisHandle = { url: url ?? "", child: null };
  let namedBy: string | null = "redis.cluster or redis.sentinel";
  if (url !== undefined) ({ handle, namedBy } = await planSingleRedis(options, url));
  const client = createRedisClient(config.redis);
  try {
    await untilAnswers(client, options.signal);
    await checkEvictionPolicy(client, { allowEviction: config.redis.allowEviction, log });
    if (url !== undefined && !namedBy && !handle.child && !(await isPrivateServer(client, options.dataDir))) writeMarker(options.dataDir, url);
    return handle;
  } catch (err) {
    await stopRedis(handle);
    throw err;
  } finally {
    client.disconnect();
  }
}

/** One Redis by URL: start a private server when that is safe (private-redis.ts). */
async function planSingleRedis(options: RedisStartupOptions, url: string): Promise<{ handle: RedisHandle; namedBy: string | null }> {
  const { env, dataDir, log } = options;
  const where = redactUrl(url);
  const { host, port, loopback } = redisAddress(url);
  const namedBy = redisNamedBy(env, options.configFile, url);
  const plan = planRedis({
    url,
    asked: options.privateRedis,
    namedBy,
    // A Redis on another machine is never ours to start: plan as if it answered, and wait for it if it does not.
    answers: loopback ? await answers(host, port) : true,
    marker: readMarker(dataDir),
    binary: redisServerOnPath(env),
  });
  if (plan.action === "refuse") throw new StartupError(plan.why);
  if (plan.action === "wait") log.warn(`redis: nothing answers at ${where}; waiting for it, and not starting a private redis-server, as ${plan.why}`);
  if (plan.action !== "start") return { handle: { url, child: null }, namedBy };
  log.info(`redis: starting a private redis-server on 127.0.0.1:${port} with data in ${shown(dataDir)} because ${plan.why}`);
  return { handle: await ensureRedis(url, env, dataDir), namedBy };
}

/**
 * PING until Redis answers, or the signal aborts (rejecting with its reason).
 * A refusal (NOAUTH …) rejects the PING; the client reconnects on its
 * backoff, and we ask again. A PING waiting for a reconnect is not ended by
 * disconnect(), hence the race.
 */
async function untilAnswers(client: RedisClient, signal: AbortSignal): Promise<void> {
  const aborted = new Promise<never>((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {}); // rejected when the service stops after start-up too
  for (;;) {
    try {
      await Promise.race([client.ping(), aborted]);
      return;
    } catch (err) {
      signal.throwIfAborted();
      if (redisTrouble(coerceError(err)) === null) throw err;
      await Promise.race([sleep(100), aborted]);
    }
  }
}

/** ./data rather than /home/…/data when it is under the working folder. */
function shown(dir: string): string {
  const relative = displayFile(dir);
  return relative === dir ? dir : `./${relative}`;
}
