import { afterEach, beforeEach, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/schema.js";
import type { Redis } from "../../src/queues/connection.js";
import { closeQueues, createQueues, type Queues } from "../../src/queues/factory.js";
import { schedulerId, syncFeedSchedulers } from "../../src/service/schedulers.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";

let redis: Redis;
let queues: Queues;
let prefix: string;

beforeEach(() => {
  redis = connect();
  prefix = testPrefix("sched");
  queues = createQueues(redis, prefix);
});

afterEach(async () => {
  await closeQueues(queues);
  await dropPrefix(redis, prefix);
  await redis.quit();
});

const config = (urls: string[]) =>
  ConfigSchema.parse({ redis: { prefix: "x" }, defaults: { interval: "5m" }, feeds: urls.map((url) => ({ url })) });

it("keeps exactly one scheduler per configured feed, idempotently, and removes feeds that left the config", async () => {
  const a = "http://127.0.0.1:9/a.xml";
  const b = "http://127.0.0.1:9/b.xml";
  await syncFeedSchedulers(queues.poll, config([a, b]));
  await syncFeedSchedulers(queues.poll, config([a, b]));
  let schedulers = await queues.poll.getJobSchedulers(0, -1);
  expect(schedulers.map((s) => s.key).sort()).toEqual([schedulerId({ url: a }), schedulerId({ url: b })].sort());
  expect(schedulers.every((s) => s.every === 300_000)).toBe(true);
  // One pending poll per feed, however many times the config was synced.
  expect(await queues.poll.getJobCountByTypes("waiting", "delayed")).toBe(2);

  const { removed } = await syncFeedSchedulers(queues.poll, config([a]));
  expect(removed).toEqual([b]);
  schedulers = await queues.poll.getJobSchedulers(0, -1);
  expect(schedulers.map((s) => s.key)).toEqual([schedulerId({ url: a })]);
});
