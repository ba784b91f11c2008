/**
 * A loopback Sentinel group of a test's own: a master, one replica and three
 * sentinels from redis-server, with a SENTINEL FAILOVER on demand, so that a
 * test can show the service following the master to its new address.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { infoField, killRedisProcesses, redisCli, soft, startRedisProcess, type RedisProcess } from "./redis-processes.js";
import { waitFor } from "./wait-for.js";

export interface SentinelGroup {
  /** The name the sentinels monitor the master under: what `redis.sentinel.name` takes. */
  name: string;
  /** `127.0.0.1:port` of each sentinel: what `redis.sentinel.sentinels` takes. */
  sentinels: string[];
  /** The ports the data nodes started on: [master, replica] (the roles swap on failover). */
  dataPorts: [number, number];
  /** The master's port as the first sentinel reports it. */
  masterPort(): Promise<number>;
  /** SENTINEL FAILOVER, then wait until every sentinel names the old replica and it says it is master. */
  failover(timeoutMs?: number): Promise<void>;
  /** Kills every process and removes their dirs. */
  stop(): Promise<void>;
}

const DATA_ARGS = (extra: string[]) => (port: number, dir: string) => [
  "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", ...extra,
];

/** A sentinel's config file: sentinels rewrite it, so it lives in the sentinel's own dir. */
function sentinelArgs(name: string, masterPort: number) {
  return (port: number, dir: string) => {
    const conf = path.join(dir, "sentinel.conf");
    writeFileSync(
      conf,
      [
        `port ${port}`,
        "bind 127.0.0.1",
        `dir ${dir}`,
        "sentinel resolve-hostnames no",
        // Each sentinel tells the others (and clients) the loopback address it is reached at.
        "sentinel announce-ip 127.0.0.1",
        `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        "",
      ].join("\n"),
    );
    return [conf, "--sentinel"];
  };
}

/** SENTINEL MASTER's flat field/value reply as a lookup. */
function fields(reply: string): Map<string, string> {
  const lines = reply.split("\n").map((l) => l.trim());
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < lines.length; i += 2) map.set(lines[i]!, lines[i + 1]!);
  return map;
}

async function addressOfMaster(sentinelPort: number, name: string): Promise<number> {
  const [, port] = (await redisCli(sentinelPort, "SENTINEL", "get-master-addr-by-name", name)).split("\n");
  return Number(port);
}

export async function startSentinelGroup(name = "nwtest"): Promise<SentinelGroup> {
  const procs: RedisProcess[] = [];
  const stop = () => killRedisProcesses(procs);
  try {
    const master = await startRedisProcess("sentinel-master", DATA_ARGS([]));
    procs.push(master);
    const replica = await startRedisProcess("sentinel-replica", DATA_ARGS(["--replicaof", "127.0.0.1", String(master.port)]));
    procs.push(replica);
    await waitFor(soft(async () => infoField(await redisCli(replica.port, "INFO", "replication"), "master_link_status") === "up"), { timeout: 20_000, what: "the replica in sync" });
    const sentinels = await Promise.all([1, 2, 3].map(() => startRedisProcess("sentinel", sentinelArgs(name, master.port))));
    procs.push(...sentinels);

    // Each sentinel must know the replica (it can only fail over to one it knows) and the two other sentinels (quorum 2).
    const everyoneKnowsEveryone = soft(async () => {
      for (const s of sentinels) {
        const seen = fields(await redisCli(s.port, "SENTINEL", "MASTER", name));
        if (seen.get("num-slaves") !== "1" || seen.get("num-other-sentinels") !== "2" || seen.get("port") !== String(master.port)) return false;
        const replicas = await redisCli(s.port, "SENTINEL", "REPLICAS", name);
        if (!replicas.includes(String(replica.port)) || /s_down|disconnected/.test(replicas)) return false;
      }
      return true;
    });
    await waitFor(everyoneKnowsEveryone, { timeout: 30_000, what: "every sentinel to see the master, the replica and the other sentinels" });

    const group: SentinelGroup = {
      name,
      sentinels: sentinels.map((s) => `127.0.0.1:${s.port}`),
      dataPorts: [master.port, replica.port],
      masterPort: () => addressOfMaster(sentinels[0]!.port, name),
      async failover(timeoutMs = 30_000) {
        const from = await group.masterPort();
        const to = from === master.port ? replica.port : master.port;
        // NOGOODSLAVE while a sentinel's view of the replica is still refreshing; it asks again.
        await waitFor(soft(async () => (await redisCli(sentinels[0]!.port, "SENTINEL", "FAILOVER", name)).trim() === "OK"), { timeout: timeoutMs, what: "SENTINEL FAILOVER to be accepted" });
        const moved = soft(async () => {
          for (const s of sentinels) if ((await addressOfMaster(s.port, name)) !== to) return false;
          return (await redisCli(to, "ROLE")).startsWith("master");
        });
        await waitFor(moved, { timeout: timeoutMs, what: `every sentinel to name port ${to} as master of ${name}` });
      },
      stop,
    };
    return group;
  } catch (err) {
    await stop();
    throw err;
  }
}
