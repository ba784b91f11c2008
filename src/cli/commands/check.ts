/**
 * `newswatch check`: validates a config the way the service loads it (schema,
 * every `${VAR}`, reference and model files) plus the paths it will write,
 * prints its warnings, and with --redis checks Redis and says what the config
 * would change against the one running on it.
 */
import { accessSync, constants, existsSync } from "node:fs";
import path from "node:path";
import { diffConfig } from "../../config/diff.js";
import { configOwner } from "../../config/owner.js";
import { redactConfig } from "../../config/redact.js";
import type { Config } from "../../config/schema.js";
import { configWarnings } from "../../config/warnings.js";
import { displayFile } from "../../config/problems.js";
import { redactUrl, safeLine } from "../../logger.js";
import { createRedisClient, describeRedis, type RedisClient } from "../../queues/connection.js";
import { openQueue } from "../../queues/factory.js";
import { QUEUES } from "../../queues/names.js";
import { readAppliedConfig } from "../../service/applied-config.js";
import { REQUIRED_POLICY, readEvictionPolicy } from "../../service/redis-policy.js";
import { foreignLines, planSync, readScheduledFeeds } from "../../service/schedulers.js";
import { println, type CliIO, type Command } from "../command.js";
import { CLI_REDIS_OPTIONS } from "../cli-redis.js";
import { loadCliConfig } from "../config-arg.js";
import { coerceError } from "../../errors.js";

/** The nearest folder that exists on the way to `file` must take a new file (the sink creates what is missing). */
function unwritable(file: string): string | null {
  let dir = path.dirname(file);
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
    return null;
  } catch {
    return `${dir} is not writable`;
  }
}

function pathProblems(config: Config): string[] {
  const file = config.alerts.file?.path;
  const problem = file === undefined ? null : unwritable(file);
  return problem ? [`alerts.file.path: ${file}: ${problem}`] : [];
}

/** Redis answers, may not evict, and what the config would change against the schedulers and the applied copy there. */
async function checkRedis(redis: RedisClient, config: Config, file: string, io: CliIO): Promise<boolean> {
  const { redis: r } = config;
  await redis.connect();
  await redis.ping();
  const { policy, error } = await readEvictionPolicy(redis);
  const evicts = policy !== null && policy !== REQUIRED_POLICY;
  const policyNote = policy === null ? `maxmemory-policy unknown (${safeLine(error)})` : `maxmemory-policy ${policy}`;
  println(io.stdout, `redis ${describeRedis(r)}: answers; ${policyNote}${evicts && r.allowEviction ? " (allowed by redis.allowEviction)" : ""}`);
  if (evicts && !r.allowEviction) println(io.stderr, `error: redis: maxmemory-policy is ${policy}; the service refuses to start unless it is ${REQUIRED_POLICY} (or redis.allowEviction: true)`);

  const owner = configOwner(config, file);
  const applied = await readAppliedConfig(redis, r.prefix, owner);
  if (applied === null) println(io.stdout, `no running config of owner ${owner} found on prefix ${r.prefix} (none applied in the last 30 days)`);
  else {
    // Both sides without values read from the environment: the stored copy never holds them.
    const next = JSON.parse(JSON.stringify(redactConfig(config))) as Config;
    const diff = diffConfig(applied.config as unknown as Config, next);
    println(io.stdout, `against the config running since ${new Date(applied.at).toISOString()} (${applied.file}):`);
    for (const line of diff.changes) println(io.stdout, `  ${line}`);
    for (const line of diff.restart) println(io.stdout, `  ${line} (needs a restart)`);
    if (diff.changes.length + diff.restart.length === 0) println(io.stdout, "  no change (values read from the environment are not compared)");
  }
  const queue = openQueue(redis, QUEUES.poll, r.prefix);
  try {
    const plan = planSync(await readScheduledFeeds(queue), config, owner);
    println(io.stdout, `feed schedulers on prefix ${r.prefix}: ${plan.missing.length} to add, ${plan.changed.length} to change, ${plan.remove.length} to remove`);
    for (const s of plan.remove) println(io.stdout, `  remove ${safeLine(redactUrl(s.feed?.url ?? s.id))}${s.owner === null ? " (made before owners)" : ""}`);
    for (const line of foreignLines(plan.foreign, r.prefix)) println(io.stdout, `  ${line}`);
  } finally {
    await queue.close();
  }
  return !(evicts && !r.allowEviction);
}

export const checkCommand: Command = {
  name: "check",
  summary: "validate a config (and with --redis, what it would change on the running service)",
  help: `usage: newswatch check [--config FILE] [--redis] [--strict]

Validates the config as the service loads it: every key (with its line, and
the key you probably meant for a typo), every \${VAR} of every section,
reference articles, model files, and the folder of the alerts file. Prints
warnings (an empty feed list, a webhook without a secret): they do not make
the config invalid unless --strict is given.
  --redis             also check that Redis answers and will not evict keys,
                      and print what this config would change: against the
                      config the running service applied (stored in Redis,
                      values from the environment left out) and against the
                      feed schedulers there (feeds of other configs included)
  --strict            treat warnings as errors

Exit status: 0 valid, 1 invalid (or Redis unreachable or evicting, with --redis).`,
  options: { redis: { type: "boolean" }, strict: { type: "boolean" } },
  async run(args, io) {
    const loaded = loadCliConfig(args, io, { env: "all" });
    if (!loaded) return 1;
    const { config, file } = loaded;
    const problems = pathProblems(config);
    for (const p of problems) println(io.stderr, `error: ${safeLine(p)}`);
    const warnings = configWarnings(config);
    for (const w of warnings) println(io.stderr, `warning: ${safeLine(w)}`);
    let ok = problems.length === 0 && !(args.values.strict === true && warnings.length > 0);
    if (args.values.redis === true) {
      const redis = createRedisClient(config.redis, { ...CLI_REDIS_OPTIONS, lazyConnect: true });
      // The failed command says only "Connection is closed."; the socket's own error says why.
      let socketError: Error | null = null;
      redis.on("error", (err: Error) => (socketError = err));
      try {
        ok = (await checkRedis(redis, config, file, io)) && ok;
      } catch (err) {
        println(io.stderr, `error: redis ${describeRedis(config.redis)}: ${safeLine((socketError ?? coerceError(err)).message)}`);
        ok = false;
      } finally {
        redis.disconnect();
      }
    }
    println(io.stdout, `${displayFile(file)}: ${ok ? "valid" : "invalid"}${warnings.length > 0 ? `, ${warnings.length} warning(s)` : ""}`);
    return ok ? 0 : 1;
  },
};
