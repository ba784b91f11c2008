/**
 * Each try of a job that leaves a trace (an alert delivery, a worker that
 * stopped mid-job) is one JSON line in the job's BullMQ log, so a failed job
 * keeps the story of its tries for `jobs failed` / `alerts failed`, and the
 * lines go when BullMQ removes the job (bounded, DESIGN.md §3).
 *
 * A try is numbered by its place in the log, not by BullMQ's `attemptsMade`:
 * `jobs retry` resets `attemptsMade` to give the job a fresh set of tries,
 * and the numbers must go on (#4, #5 …) rather than start at #1 again.
 */
import type { Job, Queue } from "bullmq";
import { z } from "zod";
import { parseJsonAs } from "../json-as.js";

const StoredAttempt = z.object({
  at: z.string(),
  /** Absent when the try's length is unknown (a worker that stopped). */
  ms: z.number().optional(),
  ok: z.boolean(),
  detail: z.string(),
});
/** One try as the attempt log stores it. */
export type AttemptLine = z.infer<typeof StoredAttempt>;

export type AttemptRecord = AttemptLine & {
  /** 1-based place among the job's tries. */
  attempt: number;
};

/** Appends one try to the job's log; resolves with its number. */
export async function logAttempt(job: Pick<Job, "log">, record: AttemptLine): Promise<number> {
  return job.log(JSON.stringify(StoredAttempt.parse(record)));
}

/** The tries logged for a job, oldest first; lines that are not try records are skipped. */
export async function readAttempts(queue: Queue, jobId: string): Promise<AttemptRecord[]> {
  const { logs } = await queue.getJobLogs(jobId, 0, -1, true);
  return logs.flatMap((line, i) => {
    const parsed = parseJsonAs(StoredAttempt, line);
    return parsed ? [{ attempt: i + 1, ...parsed }] : [];
  });
}
