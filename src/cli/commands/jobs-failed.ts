import { redactText } from "../../logger.js";
import { jsonLine, printable } from "../../printable.js";
import { listFailedJobs, type FailedJob } from "../../queues/failed-jobs.js";
import type { QueueName } from "../../queues/names.js";
import { println, type CliIO, type Command } from "../command.js";
import { chosenStages, STAGE_HELP, withQueues } from "./jobs-queues.js";

/** Reasons and try details are error messages: they may quote an endpoint's URL with its credentials. */
function shown<T extends FailedJob>(f: T): T {
  return { ...f, reason: redactText(f.reason), attempts: f.attempts.map((a) => ({ ...a, detail: redactText(a.detail) })) };
}

/** Prints failed jobs as text (a head line, the reason, each try) or one JSON object per line. */
function printFailed(io: CliIO, jobs: FailedJob[], options: { json: boolean; head: (f: FailedJob) => string[] }): void {
  for (const f of jobs.map(shown)) {
    if (options.json) {
      println(io.stdout, jsonLine(f));
      continue;
    }
    const tries = f.attempts.length > f.attemptsMade ? `, ${f.attempts.length} tries in all` : "";
    println(io.stdout, printable(options.head(f).join("  ")));
    println(io.stdout, printable(`  failed ${f.failedAt ?? "?"} after ${f.attemptsMade} attempt(s)${tries}: ${f.reason}`));
    for (const a of f.attempts) {
      const ms = a.ms === undefined ? "" : ` (${a.ms} ms)`;
      println(io.stdout, printable(`  #${a.attempt} ${a.at} ${a.ok ? "ok" : "failed"}${ms} ${a.detail}`));
    }
  }
}

interface FailedSpec {
  name: string;
  summary: string;
  help: string;
  /** A command for one stage's queue (no --stage); its lines leave the stage out. */
  stage?: QueueName;
}

/** `jobs failed` and `alerts failed`. */
export function failedCommand(spec: FailedSpec): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    help: spec.help,
    options: { json: { type: "boolean" }, ...(spec.stage ? {} : { stage: { type: "string" } }) },
    async run(args, io) {
      const stages = spec.stage ? [spec.stage] : chosenStages(args, io, spec.name);
      if (!stages) return 2;
      const json = args.values.json === true;
      const head = (f: FailedJob) => [f.id, ...(spec.stage ? [] : [f.stage]), ...(f.channel ? [f.channel] : []), f.subject];
      return withQueues(args, io, stages, async (queues) => {
        let count = 0;
        for (const [stage, queue] of queues) {
          const { jobs, total } = await listFailedJobs(queue, stage);
          printFailed(io, jobs, { json, head });
          count += jobs.length;
          if (total > jobs.length) println(io.stderr, `${stage}: showing the newest ${jobs.length} of ${total} failed jobs`);
        }
        if (!json) println(io.stderr, `${count} failed ${spec.stage ?? ""}${spec.stage ? " " : ""}job${count === 1 ? "" : "s"}`);
        return 0;
      });
    },
  };
}

export const jobsFailedCommand = failedCommand({
  name: "jobs failed",
  summary: "list the failed jobs of every stage (or one), newest first",
  help: `usage: newswatch jobs failed [--stage STAGE] [--json]

Lists jobs that failed for good: id, stage, what the job was about (a feed,
stories, an alert's channel and story), when and why it failed, and its
logged tries. Send them again with \`newswatch jobs retry\`.
${STAGE_HELP}
  --json              one JSON object per failed job`,
});
