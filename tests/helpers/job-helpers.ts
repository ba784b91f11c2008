/**
 * The job helpers a stage's run gets (jobs/stage.ts), without a queue: the
 * attempt log is an array, `delay` throws a `Delayed` that says for how
 * long, and the signal is the test's own.
 */
import type { AttemptLine } from "../../src/queues/attempts.js";
import type { JobHelpers } from "../../src/jobs/stage.js";
import type { Logger } from "../../src/logger.js";

/** What `delay` throws: the run asked to be run again after `ms`, without spending a try. */
export class Delayed extends Error {
  constructor(
    readonly ms: number,
    reason: string,
  ) {
    super(reason);
    this.name = this.constructor.name;
  }
}

export interface TestJobHelpers extends JobHelpers {
  /** Every line the run wrote to its attempt log, oldest first. */
  readonly lines: AttemptLine[];
}

export function testHelpers(log: Logger, options: { attempt?: number; lines?: AttemptLine[]; signal?: AbortSignal } = {}): TestJobHelpers {
  const lines = options.lines ?? [];
  return {
    log,
    lines,
    attempt: {
      number: options.attempt ?? 1,
      log: async (line) => lines.push(line),
    },
    delay: (ms, reason) => Promise.reject(new Delayed(ms, reason)),
    signal: options.signal ?? new AbortController().signal,
  };
}
