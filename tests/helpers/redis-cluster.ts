/**
 * A loopback Redis Cluster of a test's own: three masters and three replicas
 * from redis-server, with a manual failover of every master on demand, so that
 * a test can show the service riding through one.
 */
import { infoField, killRedisProcesses, redisCli, soft, startRedisProcess, type RedisProcess } from "./redis-processes.js";
import { freePort } from "./ports.js";
import { waitFor } from "./wait-for.js";

export interface ClusterNode {
  id: string;
  port: number;
  role: "master" | "replica";
  /** The master's id, for a replica. */
  masterId: string | null;
}

export interface LoopbackCluster {
  /** Every node's port, masters and replicas alike (the roles change on failover). */
  ports: number[];
  /** `redis://127.0.0.1:port` for every node: what `redis.cluster.nodes` takes. */
  urls: string[];
  /** The topology as a node sees it now. */
  nodes(): Promise<ClusterNode[]>;
  masters(): Promise<ClusterNode[]>;
  /** For each master in turn: CLUSTER FAILOVER on its replica, then wait until the two swapped roles and the cluster is ok. */
  failoverAll(timeoutMs?: number): Promise<void>;
  /** Kills every node and removes their dirs. */
  stop(): Promise<void>;
}

// The bus port is named: by default it is port + 10000, which may be another node's (or anything's) port.
const NODE_ARGS = (busPort: number) => (port: number, dir: string) => [
  "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--cluster-port", String(busPort),
  "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
  "--save", "", "--appendonly", "no",
];

/** Parses CLUSTER NODES (`id ip:port@cport[,host] flags master …`), leaving out failed nodes. */
export function parseClusterNodes(reply: string): ClusterNode[] {
  return reply
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.trim().split(" "))
    .filter(([, , flags]) => !/fail|noaddr|handshake/.test(flags ?? ""))
    .map(([id, address, flags, master]) => ({
      id: id!,
      port: Number(/:(\d+)@/.exec(address ?? "")?.[1]),
      role: (flags ?? "").split(",").includes("master") ? ("master" as const) : ("replica" as const),
      masterId: master && master !== "-" ? master : null,
    }));
}

async function role(port: number): Promise<string> {
  return (await redisCli(port, "ROLE")).split("\n")[0]?.trim() ?? "";
}

export async function startLoopbackCluster(): Promise<LoopbackCluster> {
  const procs: RedisProcess[] = [];
  const stop = () => killRedisProcesses(procs);
  try {
    const busPorts: number[] = [];
    for (let i = 0; i < 6; i++) busPorts.push(await freePort());
    procs.push(...(await Promise.all(busPorts.map((bus) => startRedisProcess("cluster", NODE_ARGS(bus))))));
    const ports = procs.map((p) => p.port);
    await redisCli(ports[0]!, "--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "1", "--cluster-yes");

    const allOk = soft(async () => {
      for (const port of ports) if (infoField(await redisCli(port, "CLUSTER", "INFO"), "cluster_state") !== "ok") return false;
      return true;
    });
    const nodes = async () => {
      for (const port of ports) {
        const seen = await redisCli(port, "CLUSTER", "NODES").catch(() => "");
        if (seen) return parseClusterNodes(seen);
      }
      throw new Error("no cluster node answers CLUSTER NODES");
    };
    // A manual failover needs a replica in sync with its master.
    const replicasInSync = soft(async () => {
      const replicas = (await nodes()).filter((n) => n.role === "replica");
      if (replicas.length !== 3) return false;
      for (const r of replicas) if (infoField(await redisCli(r.port, "INFO", "replication"), "master_link_status") !== "up") return false;
      return true;
    });
    await waitFor(allOk, { timeout: 20_000, what: "cluster_state:ok on every node" });
    await waitFor(replicasInSync, { timeout: 20_000, what: "every replica in sync with its master" });

    const cluster: LoopbackCluster = {
      ports,
      urls: ports.map((p) => `redis://127.0.0.1:${p}`),
      nodes,
      masters: async () => (await nodes()).filter((n) => n.role === "master"),
      async failoverAll(timeoutMs = 20_000) {
        const before = await nodes();
        for (const master of before.filter((n) => n.role === "master")) {
          const replica = before.find((n) => n.masterId === master.id);
          if (!replica) throw new Error(`master on port ${master.port} has no replica`);
          await redisCli(replica.port, "CLUSTER", "FAILOVER");
          const swapped = soft(async () => (await role(replica.port)) === "master" && (await role(master.port)) === "slave");
          await waitFor(swapped, { timeout: timeoutMs, what: `the replica on port ${replica.port} to take over from port ${master.port}` });
          await waitFor(allOk, { timeout: timeoutMs, what: "cluster_state:ok on every node after a failover" });
        }
        await waitFor(replicasInSync, { timeout: timeoutMs, what: "every new replica in sync after the failovers" });
      },
      stop,
    };
    return cluster;
  } catch (err) {
    await stop();
    throw err;
  }
}
