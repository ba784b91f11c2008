/**
 * Every delivery try is written to its BullMQ job's log (one JSON line), so
 * a failed alert keeps each attempt's status for `alerts failed`, and the
 * record goes when BullMQ removes the job (bounded, DESIGN.md §3).
 */
import type { Job, Queue } from "bullmq";
import { z } from "zod";

export const AttemptRecord = z.object({
  attempt: z.number().int(),
  at: z.string(),
  ms: z.number(),
  ok: z.boolean(),
  detail: z.string(),
});
export type AttemptRecord = z.infer<typeof AttemptRecord>;

export async function logAttempt(job: Pick<Job, "log">, record: AttemptRecord): Promise<void> {
  await job.log(JSON.stringify(record));
}

/** The attempts logged for a job, oldest first; lines that are not attempt records are skipped. */
export async function readAttempts(queue: Queue, jobId: string): Promise<AttemptRecord[]> {
  const { logs } = await queue.getJobLogs(jobId, 0, -1, true);
  return logs.flatMap((line) => {
    try {
      const parsed = AttemptRecord.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}
