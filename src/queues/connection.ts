/**
 * The only place that creates Redis clients. Every client, and every copy
 * BullMQ makes of one (`duplicate()`, for a worker's blocking connection),
 * reports its trouble to one process-wide watcher (see watchRedis): a dozen
 * connections retrying on their own would otherwise each print every failed
 * attempt ("[ioredis] Unhandled error event" with a stack).
 */
import { Redis, type RedisOptions } from "ioredis";

export type { Redis };

/** Where every client's errors, retries and recoveries go; the service installs one (service/redis-reporter.ts). */
export interface RedisWatcher {
  /** A client or a BullMQ queue or worker (`source`) reported an error. */
  error(err: Error, source: string): void;
  /** A client lost Redis or could not reach it, and tries again in `delayMs`. */
  retrying(delayMs: number): void;
  /** A client is connected and ready. */
  ready(): void;
}

let watcher: RedisWatcher | null = null;

/** Installs the process's watcher (null removes it); clients created before and after alike report to it. */
export function watchRedis(next: RedisWatcher | null): void {
  watcher = next;
}

/**
 * For BullMQ's `error` events (a Worker or Queue relays its connections'
 * errors there). Without a watcher, a line on stderr for what is not Redis
 * being away, which the callers of a command see anyway.
 */
export function reportRedisError(source: string, err: Error): void {
  if (watcher) watcher.error(err, source);
  else if (redisTrouble(err) === null) process.stderr.write(`newswatch: ${source}: ${err.message.split("\n")[0]}\n`);
}

const REFUSAL = /\b(NOAUTH|WRONGPASS|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN)\b.*/;

/**
 * What keeps a client from Redis, as the operator should read it: a socket
 * error's code ("ECONNREFUSED") or Redis's refusal ("NOAUTH Authentication
 * required."); "" for a lost connection that says no more ("Connection is
 * closed."); null for an error of another kind.
 */
export function redisTrouble(err: Error): string | null {
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
  const firstLine = err.message.split("\n")[0] ?? "";
  const refusal = REFUSAL.exec(firstLine);
  if (refusal) return refusal[0];
  return /Connection is closed|Stream isn't writeable|Socket closed unexpectedly/.test(firstLine) ? "" : null;
}

/**
 * Capped exponential backoff between reconnect attempts: 0.25 s, 0.5 s, 1 s,
 * then every 2 s, so that every client is back within 2 s of Redis, close
 * together (a connection attempt to a server that is down costs next to nothing).
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(250 * 2 ** Math.max(attempt - 1, 0), 2_000);
}

function retryStrategy(attempt: number): number {
  const delay = reconnectDelay(attempt);
  watcher?.retrying(delay);
  return delay;
}

/** A client whose copies are watched too (BullMQ duplicates the connection it is given), and that closes while it waits to reconnect. */
class WatchedRedis extends Redis {
  override duplicate(override?: Partial<RedisOptions>): Redis {
    return watch(new WatchedRedis({ ...this.options, ...override }));
  }

  override disconnect(reconnect = false): void {
    const waitingToReconnect = !reconnect && this.status === "reconnecting";
    super.disconnect(reconnect);
    if (waitingToReconnect) endStranded(this);
  }
}

/** The ioredis internals that its own close handler uses. */
interface RedisInternals {
  prevCommandQueue?: { shift(): { command: { reject(err: Error): void } } | undefined } | null;
  manuallyClosing: boolean;
  setStatus(status: "end"): void;
  flushQueue(err: Error): void;
}

/**
 * ioredis told to disconnect while it waits to reconnect only clears its
 * timer: no "end" ever comes, and the commands queued or in flight when
 * Redis went away stay pending for ever (redis/ioredis#2169, #2197). A
 * BullMQ Worker.close() awaits its blocking command, so a service stopped
 * during a Redis outage would never stop. End the client as ioredis's close
 * handler does, and fail those commands as a closed connection does.
 */
function endStranded(client: Redis): void {
  const internals = client as unknown as RedisInternals;
  const closed = new Error("Connection is closed.");
  const inFlight = internals.prevCommandQueue;
  internals.prevCommandQueue = null;
  for (let item = inFlight?.shift(); item; item = inFlight?.shift()) item.command.reject(closed);
  internals.manuallyClosing = false;
  internals.setStatus("end");
  internals.flushQueue(closed);
}

function watch(client: Redis): Redis {
  client.on("error", (err: Error) => watcher?.error(err, "redis"));
  client.on("ready", () => watcher?.ready());
  return client;
}

/**
 * BullMQ workers block on Redis, so their connections must not give up on a
 * request (maxRetriesPerRequest: null); the same setting suits our own keys.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return watch(new WatchedRedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy, ...options }));
}

/** Hash-tagged so that a Redis Cluster keeps every newswatch key in one slot (DESIGN.md §3). */
export function keyTag(prefix: string): string {
  return `{${prefix}}`;
}

/** A key of our own under the configured prefix. */
export function ownKey(prefix: string, ...parts: string[]): string {
  return [keyTag(prefix), ...parts].join(":");
}
