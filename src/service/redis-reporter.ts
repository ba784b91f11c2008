/**
 * One voice for every Redis connection of the process. Each client (ours and
 * the copies BullMQ makes) retries on its own and reports every failed
 * attempt; here they make one line per step of a backoff: when Redis is lost,
 * then 1, 2, 4 … up to 60 s later while it stays away, each with the cause
 * (ECONNREFUSED, NOAUTH …) and when the clients try again; and one line when
 * it answers again. Other errors that BullMQ relays are logged, at most one
 * line a second. No stacks: the cause is what an operator can act on.
 * A failover (Sentinel or Cluster promoting a replica) is one info line,
 * however many clients notice it.
 */
import { redactUrl, type Logger } from "../logger.js";
import { redisTrouble, type RedisWatcher } from "../queues/connection.js";

export interface RedisReporterOptions {
  /** The Redis the process uses (shown without its password): a URL, or describeRedis's text for a cluster or Sentinel group. */
  url: string;
  log: Logger;
  /** @defaultValue Date.now */
  now?: () => number;
}

const FIRST_STEP_MS = 1_000;
const LAST_STEP_MS = 60_000;
/** No two lines of this reporter closer than this, but for "connected again". */
const MIN_GAP_MS = 1_000;
const AUTH = /^(NOAUTH|WRONGPASS)\b/;
/** What a failover says to the commands it interrupts; the failover line tells it once, these are not news. */
const FAILOVER_NOISE = /^(UNBLOCKED|READONLY|MOVED|ASK|TRYAGAIN)\b/;
/** A set of masters seen this recently is a client catching up with a failover already logged, not a new one. */
const FAILOVER_ECHO_MS = 30_000;

/** A time that has passed: 1.5 s, 14 s. */
const seconds = (ms: number) => `${ms < 10_000 ? Math.round(ms / 100) / 10 : Math.round(ms / 1000)} s`;

export function createRedisReporter(options: RedisReporterOptions): RedisWatcher {
  const { log, now = Date.now } = options;
  const where = redactUrl(options.url);
  let everReady = false;
  let downSince: number | null = null;
  let cause = "";
  let step = FIRST_STEP_MS;
  let nextDownLineAt = 0;
  /** Whether this outage has had its first line. */
  let told = false;
  let lastLineAt = -Infinity;
  let unshown = 0;
  let masters: string | null = null;
  /** When each set of masters was last reported. */
  const mastersSeenAt = new Map<string, number>();

  const lost = (at: number) => {
    if (downSince !== null) return;
    downSince = at;
    nextDownLineAt = at;
    step = FIRST_STEP_MS;
    told = false;
  };

  const downLine = (at: number, delayMs: number) => {
    const what = AUTH.test(cause)
      ? `${where} refuses us (${cause}); check the password in REDIS_URL or redis.url`
      : cause
        ? `cannot connect to ${where} (${cause})`
        : `lost the connection to ${where}`;
    const since = !told ? "" : `down for ${seconds(at - (downSince ?? at))}, `;
    const waiting = everReady ? "" : "waiting for it, ";
    return `redis: ${what}; ${since}${waiting}retrying in ${delayMs / 1000} s`;
  };

  return {
    error(err, source) {
      const trouble = redisTrouble(err);
      const at = now();
      if (trouble !== null) {
        if (trouble) cause = trouble;
        lost(at);
        return;
      }
      if (FAILOVER_NOISE.test(err.message)) {
        log.debug({ source, error: err.message }, `${source}: ${err.message.split("\n")[0]}`);
        return;
      }
      if (at - lastLineAt < MIN_GAP_MS) {
        unshown++;
        return;
      }
      const more = unshown > 0 ? ` (and ${unshown} more error(s) not shown)` : "";
      log.error({ source, error: err.message }, `${source}: ${err.message.split("\n")[0]}${more}`);
      lastLineAt = at;
      unshown = 0;
    },

    retrying(delayMs) {
      const at = now();
      lost(at);
      if (at < nextDownLineAt || at - lastLineAt < MIN_GAP_MS) return;
      log.warn({ redis: where, cause: cause || "connection lost", retryInMs: delayMs }, downLine(at, delayMs));
      lastLineAt = at;
      told = true;
      nextDownLineAt = at + step;
      step = Math.min(step * 2, LAST_STEP_MS);
    },

    ready() {
      if (downSince !== null) {
        const after = seconds(now() - downSince);
        log.info({ redis: where }, everReady ? `redis: connected again after ${after}` : `redis: connected to ${where} after ${after}`);
      }
      everReady = true;
      downSince = null;
      cause = "";
    },

    masters(next) {
      const at = now();
      const seenAt = mastersSeenAt.get(next);
      mastersSeenAt.set(next, at);
      if (next === masters) return;
      const first = masters === null;
      masters = next;
      if (first || (seenAt !== undefined && at - seenAt < FAILOVER_ECHO_MS)) return;
      log.info({ redis: where, masters: next }, `redis: failover: new master ${next}`);
    },
  };
}
