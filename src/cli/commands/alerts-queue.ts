/** Opens the alert queue of the configured Redis for the `alerts …` commands, and closes it after. */
import { Queue } from "bullmq";
import { createRedis, keyTag } from "../../queues/connection.js";
import { QUEUES } from "../../queues/names.js";
import type { CliIO, CommandArgs } from "../command.js";
import { loadCliConfig } from "../config-arg.js";

export async function withAlertQueue(args: CommandArgs, io: CliIO, use: (queue: Queue) => Promise<number>): Promise<number> {
  const loaded = loadCliConfig(args, io);
  if (!loaded) return 1;
  const { redis: r } = loaded.config;
  // A CLI should fail fast when Redis is down, not wait forever like a worker.
  const connection = createRedis(io.env.REDIS_URL ?? r.url, { maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 2 ? null : 200) });
  const queue = new Queue(QUEUES.alert, { connection, prefix: keyTag(r.prefix) });
  try {
    return await use(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
