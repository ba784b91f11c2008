/** Opens stage queues of the configured Redis for the `jobs …` and `alerts …` commands, and closes them after. */
import type { Queue } from "bullmq";
import { createRedisClient, type RedisClient } from "../../queues/connection.js";
import { openQueue } from "../../queues/factory.js";
import { STAGES, type QueueName } from "../../queues/names.js";
import { CLI_REDIS_OPTIONS } from "../cli-redis.js";
import { println, type CliIO, type CommandArgs } from "../command.js";
import { loadCliConfig } from "../config-arg.js";

export type StageQueues = Map<QueueName, Queue>;

export async function withQueues(
  args: CommandArgs,
  io: CliIO,
  stages: readonly QueueName[],
  use: (queues: StageQueues, redis: RedisClient) => Promise<number>,
): Promise<number> {
  const loaded = loadCliConfig(args, io);
  if (!loaded) return 1;
  const { redis: r } = loaded.config;
  // r.url already holds REDIS_URL when it is set (config/load.ts).
  const connection = createRedisClient(r, CLI_REDIS_OPTIONS);
  const queues: StageQueues = new Map(stages.map((s) => [s, openQueue(connection, s, r.prefix)]));
  try {
    return await use(queues, connection);
  } finally {
    await Promise.all([...queues.values()].map((q) => q.close()));
    connection.disconnect();
  }
}

/** `--stage S` (one of the pipeline's stages), or every stage; null after saying what was wrong. */
export function chosenStages(args: CommandArgs, io: CliIO, command: string): QueueName[] | null {
  const stage = args.values.stage;
  if (stage === undefined) return [...STAGES];
  const known = STAGES.find((s) => s === stage);
  if (known) return [known];
  println(io.stderr, `newswatch ${command}: unknown stage "${String(stage)}" (one of ${STAGES.join(", ")})`);
  return null;
}

export const STAGE_HELP = `  --stage STAGE       only this stage's queue: ${STAGES.join(", ")}`;
