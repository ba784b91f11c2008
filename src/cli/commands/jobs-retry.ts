import { retryFailedJobs } from "../../queues/failed-jobs.js";
import type { QueueName } from "../../queues/names.js";
import { println, type Command } from "../command.js";
import { chosenStages, STAGE_HELP, withQueues } from "./jobs-queues.js";

interface RetrySpec {
  name: string;
  summary: string;
  help: string;
  /** A command for one stage's queue (no --stage); its output leaves the stage out. */
  stage?: QueueName;
}

/** `jobs retry` and `alerts retry`: failed jobs back to their queue with fresh attempts. */
export function retryCommand(spec: RetrySpec): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    help: spec.help,
    options: { all: { type: "boolean" }, ...(spec.stage ? {} : { stage: { type: "string" } }) },
    async run(args, io) {
      const all = args.values.all === true;
      if (all === args.positionals.length > 0) {
        println(io.stderr, `newswatch ${spec.name}: give job ids or --all (not both)`);
        return 2;
      }
      const stages = spec.stage ? [spec.stage] : chosenStages(args, io, spec.name);
      if (!stages) return 2;
      return withQueues(args, io, stages, async (queues) => {
        const missing = new Set(args.positionals);
        let count = 0;
        for (const [stage, queue] of queues) {
          const { retried } = await retryFailedJobs(queue, all ? "all" : args.positionals);
          for (const id of retried) {
            println(io.stdout, spec.stage ? `retried ${id}` : `retried ${stage} ${id}`);
            missing.delete(id);
          }
          count += retried.length;
        }
        for (const id of missing) println(io.stderr, `not a failed ${spec.stage ? `${spec.stage} ` : ""}job: ${id}`);
        println(io.stderr, `${count} retried`);
        return missing.size > 0 ? 1 : 0;
      });
    },
  };
}

export const jobsRetryCommand = retryCommand({
  name: "jobs retry",
  summary: "run failed jobs again with fresh attempts (by id, or --all)",
  help: `usage: newswatch jobs retry [--stage STAGE] ID… | --all

Moves failed jobs back to their queue with a fresh set of attempts; the
running workers take them. An id is looked up in every stage's queue unless
--stage names one. Alert deliveries keep their idempotency key.
${STAGE_HELP}
  --all               retry every failed job (of the stage, or of all stages)`,
});
