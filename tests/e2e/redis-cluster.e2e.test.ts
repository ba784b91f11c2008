/**
 * newswatch on a Redis Cluster (three masters, three replicas, all loopback
 * redis-servers of this file's own) configured by redis.cluster.nodes: a
 * manual failover of every master mid-run is ridden through by the same
 * process, every alert arrives once, and the log says so in a few lines.
 */
import { afterAll, describe, it } from "vitest";
import { alertsThroughFailover, expectRodeThrough, flowSummary } from "../helpers/failover-flow.js";
import { startLoopbackCluster, type LoopbackCluster } from "../helpers/redis-cluster.js";
import { HAS_REDIS_TOOLS, warnIfNoRedisTools } from "../helpers/redis-processes.js";

warnIfNoRedisTools("the Redis Cluster failover test");

let cluster: LoopbackCluster | null = null;

afterAll(async () => {
  await cluster?.stop();
});

describe.runIf(HAS_REDIS_TOOLS)("Redis Cluster", () => {
  it("rides through a manual failover of every master, alerting each story once", { timeout: 90_000 }, async ({ expect, annotate }) => {
    cluster = await startLoopbackCluster();
    const mastersBefore = (await cluster.masters()).map((m) => m.port);
    const topology = cluster;
    const run = await alertsThroughFailover({
      redisFields: `cluster: { nodes: [${cluster.urls.map((u) => `"${u}"`).join(", ")}] }`,
      failover: () => topology.failoverAll(),
    });
    await annotate(flowSummary(run).split("\n")[0]!);
    const mastersAfter = (await cluster.masters()).map((m) => m.port);
    expect(mastersAfter.filter((p) => mastersBefore.includes(p))).toEqual([]); // every master was failed over
    // CLUSTER FAILOVER (without FORCE) waits until the replica has every write: nothing is lost, so nothing is sent twice.
    expectRodeThrough(run, 0);
  });
});
