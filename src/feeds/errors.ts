/**
 * An ordinary feed failure: the feed is broken, not our code. The poll stage
 * records it in the feed's state and backs off instead of failing the job.
 */
/** `internal`: handling the feed failed in our code; recorded and backed off like any feed failure, so one feed cannot fail every poll. */
export type FeedErrorKind = "parse" | "http" | "network" | "timeout" | "too-large" | "refused" | "internal";

export class FeedError extends Error {
  constructor(
    readonly kind: FeedErrorKind,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number | null; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = this.constructor.name;
    this.retryAfterMs = options?.retryAfterMs ?? null;
    this.status = options?.status ?? null;
  }
  /** From a 429/503 Retry-After header. */
  readonly retryAfterMs: number | null;
  readonly status: number | null;
}
