/**
 * The only place that creates Redis clients. Every client, and every copy
 * BullMQ makes of one (`duplicate()`, for a worker's blocking connection),
 * reports its trouble to one process-wide watcher (see watchRedis): a dozen
 * connections retrying on their own would otherwise each print every failed
 * attempt ("[ioredis] Unhandled error event" with a stack).
 *
 * The redis config section names one Redis (`url`), a Sentinel group
 * (`sentinel`: an ioredis Redis that asks the sentinels for the master) or a
 * Redis Cluster (`cluster`: an ioredis Cluster); createRedisClient builds
 * whichever it names, and the code takes either as a RedisClient.
 *
 * Keys on a cluster: every key newswatch and BullMQ write starts with the
 * prefix's hash tag `{prefix}` (keyTag), so all of them sit in one slot, on
 * one master. That is HA without sharding, on purpose: BullMQ needs all keys
 * of a queue in one slot anyway, and the dedupe, alert and archive scripts
 * touch keys of several kinds in one call, which a cluster allows only within
 * one slot. To spread load over masters, run several prefixes (one service
 * per prefix); each lands on the master that owns its tag's slot.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";
import { redisTarget, type RedisClusterConfig, type RedisConfig, type RedisSentinelConfig } from "../config/sections/redis.js";
import { redactUrl } from "../logger.js";

export type { Cluster, Redis };

/** A client of the configured Redis: one server or a Sentinel-managed master (Redis), or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** The part of the redis config section that says where Redis is. */
export type RedisConnectionConfig = Pick<RedisConfig, "url" | "cluster" | "sentinel">;

/** Where every client's errors, retries and recoveries go; the service installs one (service/redis-reporter.ts). */
export interface RedisWatcher {
  /** A client or a BullMQ queue or worker (`source`) reported an error. */
  error(err: Error, source: string): void;
  /** A client lost Redis or could not reach it, and tries again in `delayMs`. */
  retrying(delayMs: number): void;
  /** A client is connected and ready. */
  ready(): void;
  /**
   * A client saw which server(s) are master now ("127.0.0.1:7000" or, for a
   * cluster, every master sorted). Many clients report the same change; the
   * watcher tells a failover from the first report and from repeats.
   */
  masters?(masters: string): void;
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
  client.on("ready", () => {
    watcher?.ready();
    const stream = (client as unknown as { stream?: { remoteAddress?: string; remotePort?: number } }).stream;
    if (stream?.remoteAddress) watcher?.masters?.(`${stream.remoteAddress}:${stream.remotePort ?? ""}`);
  });
  return client;
}

/** A cluster whose copies (BullMQ's blocking connections) are watched too. */
class WatchedCluster extends Cluster {
  override duplicate(overrideStartupNodes: ConstructorParameters<typeof Cluster>[0] = [], overrideOptions: ClusterOptions = {}): Cluster {
    const nodes = overrideStartupNodes.length > 0 ? overrideStartupNodes : (this as unknown as { startupNodes: ConstructorParameters<typeof Cluster>[0] }).startupNodes;
    return watchCluster(new WatchedCluster(nodes, { ...this.options, ...overrideOptions }));
  }
}

function watchCluster(cluster: Cluster): Cluster {
  cluster.on("error", (err: Error) => watcher?.error(err, "redis cluster"));
  // One node away (a failed-over master) is not the cluster away: the cluster's own errors and retries say that.
  cluster.on("node error", (err: Error, node: string) => {
    if (redisTrouble(err) === null) watcher?.error(err, `redis cluster node ${node}`);
  });
  cluster.on("ready", () => watcher?.ready());
  // After every slots refresh (which a MOVED or a failover triggers), the masters as the cluster now sees them.
  cluster.on("refresh", () => {
    const masters = cluster.nodes("master").map((n) => `${n.options.host ?? ""}:${n.options.port ?? ""}`);
    if (masters.length > 0) watcher?.masters?.(masters.sort().join(","));
  });
  return cluster;
}

/**
 * BullMQ workers block on Redis, so their connections must not give up on a
 * request (maxRetriesPerRequest: null); the same setting suits our own keys.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return watch(new WatchedRedis(url, { ...baseOptions, ...options }));
}

const baseOptions: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy };

/**
 * A client of the Redis the config section names: `options` are per server
 * (lazyConnect, connectTimeout, retryStrategy …), and apply to every node of
 * a cluster too.
 */
export function createRedisClient(section: RedisConnectionConfig, options: RedisOptions = {}): RedisClient {
  const target = redisTarget(section);
  if (target.kind === "cluster") return createCluster(target.cluster, options);
  if (target.kind === "sentinel") return watch(new WatchedRedis(sentinelOptions(target.sentinel, options)));
  return createRedis(target.url, options);
}

/**
 * ioredis finds the new master itself after SENTINEL FAILOVER: the failover
 * detector hears +switch-master and reconnects at once, and a lost master is
 * looked up again through the sentinels (retried every reconnectDelay).
 */
export function sentinelOptions(sentinel: RedisSentinelConfig, options: RedisOptions = {}): RedisOptions {
  const tls = sentinel.tls ? {} : undefined;
  return {
    ...baseOptions,
    sentinels: sentinel.sentinels.map(hostPort),
    name: sentinel.name,
    db: sentinel.db,
    ...(sentinel.username !== undefined ? { username: sentinel.username } : {}),
    ...(sentinel.password !== undefined ? { password: sentinel.password } : {}),
    ...(sentinel.sentinelUsername !== undefined ? { sentinelUsername: sentinel.sentinelUsername } : {}),
    ...(sentinel.sentinelPassword !== undefined ? { sentinelPassword: sentinel.sentinelPassword } : {}),
    ...(tls ? { tls, sentinelTLS: tls, enableTLSForSentinelMode: true } : {}),
    failoverDetector: true,
    sentinelRetryStrategy: reconnectDelay,
    ...options,
  };
}

/**
 * Cluster settings that ride a manual or automatic failover through: a
 * command that meets MOVED, ASK, TRYAGAIN or CLUSTERDOWN is retried after a
 * slots refresh, for up to ~10 s (maxRedirections × retryDelayOnFailover),
 * longer than a replica's promotion takes; commands issued meanwhile wait in
 * the offline queue instead of failing.
 */
export function clusterOptions(cluster: RedisClusterConfig, options: RedisOptions = {}): { nodes: { host: string; port: number }[]; options: ClusterOptions } {
  const urls = cluster.nodes.map((n) => new URL(n));
  const first = urls[0];
  const username = cluster.username ?? (first?.username ? decodeURIComponent(first.username) : undefined);
  const password = cluster.password ?? (first?.password ? decodeURIComponent(first.password) : undefined);
  const tls = urls.some((u) => u.protocol === "rediss:") ? {} : undefined;
  const { retryStrategy: perNodeRetry, lazyConnect, ...perNode } = { ...baseOptions, ...options };
  return {
    nodes: urls.map((u) => ({ host: u.hostname.replace(/^\[|\]$/g, ""), port: Number(u.port || 6379) })),
    options: {
      redisOptions: {
        ...perNode,
        ...(username !== undefined ? { username } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(tls ? { tls } : {}),
      },
      // The cluster reconnects as a whole; its nodes do not retry on their own.
      clusterRetryStrategy: perNodeRetry ? (times: number) => perNodeRetry(times) ?? null : retryStrategy,
      ...(lazyConnect !== undefined ? { lazyConnect } : {}),
      enableOfflineQueue: true,
      enableReadyCheck: true,
      retryDelayOnFailover: 300,
      retryDelayOnClusterDown: 300,
      retryDelayOnTryAgain: 300,
      maxRedirections: 32,
      slotsRefreshTimeout: 2_000,
      ...(tls ? { dnsLookup: (address: string, callback: (err: Error | null, address: string) => void) => callback(null, address) } : {}),
    },
  };
}

function createCluster(cluster: RedisClusterConfig, options: RedisOptions): Cluster {
  const made = clusterOptions(cluster, options);
  return watchCluster(new WatchedCluster(made.nodes, made.options));
}

function hostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(":");
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(address.slice(at + 1)) };
}

/** Where the section points, fit for a message: the URL redacted, or the cluster's nodes, or the sentinel group. */
export function describeRedis(section: RedisConnectionConfig): string {
  const target = redisTarget(section);
  if (target.kind === "cluster") return `cluster ${target.cluster.nodes.map(redactUrl).join(",")}`;
  if (target.kind === "sentinel") return `sentinel group ${target.sentinel.name} (${target.sentinel.sentinels.join(",")})`;
  return redactUrl(target.url);
}

/**
 * Every key that matches `match`, a batch at a time. SCAN walks one server:
 * on a cluster, every master is walked (all our keys share one hash tag, so
 * one master holds them; the others answer empty).
 */
export async function* scanKeys(client: RedisClient, match: string, count = 1000): AsyncGenerator<string[]> {
  if (client instanceof Cluster && client.nodes("master").length === 0) await client.ping(); // connects and loads the slots
  const nodes: Redis[] = client instanceof Cluster ? client.nodes("master") : [client];
  for (const node of nodes) {
    for await (const keys of node.scanStream({ match, count }) as AsyncIterable<string[]>) yield keys;
  }
}

/** Hash-tagged so that a Redis Cluster keeps every newswatch key in one slot (DESIGN.md §3). */
export function keyTag(prefix: string): string {
  return `{${prefix}}`;
}

/** A key of our own under the configured prefix. */
export function ownKey(prefix: string, ...parts: string[]): string {
  return [keyTag(prefix), ...parts].join(":");
}
