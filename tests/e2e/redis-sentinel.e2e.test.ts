/**
 * newswatch behind Sentinel (a master, a replica and three sentinels, all
 * loopback redis-servers of this file's own) configured by redis.sentinel:
 * SENTINEL FAILOVER mid-run is ridden through by the same process, every
 * alert arrives once, and the log says so in a few lines.
 */
import { afterAll, describe, it } from "vitest";
import { alertsThroughFailover, expectRodeThrough, flowSummary } from "../helpers/failover-flow.js";
import { HAS_REDIS_TOOLS, warnIfNoRedisTools } from "../helpers/redis-processes.js";
import { startSentinelGroup, type SentinelGroup } from "../helpers/redis-sentinel.js";

warnIfNoRedisTools("the Redis Sentinel failover test");

let group: SentinelGroup | null = null;

afterAll(async () => {
  await group?.stop();
});

describe.runIf(HAS_REDIS_TOOLS)("Redis Sentinel", () => {
  it("rides through SENTINEL FAILOVER, alerting each story once", { timeout: 90_000 }, async ({ expect, annotate }) => {
    group = await startSentinelGroup("nwtest-master");
    const [firstMaster, firstReplica] = group.dataPorts;
    expect(await group.masterPort()).toBe(firstMaster);
    const topology = group;
    const run = await alertsThroughFailover({
      redisFields: `sentinel: { name: ${group.name}, sentinels: [${group.sentinels.map((s) => `"${s}"`).join(", ")}] }`,
      failover: () => topology.failover(),
    });
    await annotate(flowSummary(run).split("\n")[0]!);
    expect(await group.masterPort()).toBe(firstReplica);
    // Sentinel promotes the replica without pausing writes on the old master, so the last writes
    // before the switch (an alert's delivery record) can be lost: the alert published during the
    // failover may be sent again, under the same webhook-id, which the receiver takes once.
    expectRodeThrough(run, 1);
  });
});
