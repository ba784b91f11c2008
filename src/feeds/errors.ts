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

/** Links of a cause chain read, at most: a cycle or a deep chain costs no more. */
const MAX_CAUSES = 5;

function ownText(e: Error): string {
  // A connection that tried several addresses fails with an AggregateError whose own message may be empty.
  const inner = e instanceof AggregateError ? e.errors.map((x: unknown) => (x instanceof Error ? x.message : String(x))) : [];
  const message = e.message || [...new Set(inner)].join("; ");
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && !message.includes(code) ? `${code} ${message}`.trim() : message;
}

/**
 * An error and its causes as one line, each part said once: Node's
 * `getaddrinfo ENOTFOUND host` already names its code, and a wrapper whose
 * message its cause repeats adds nothing. Parts join with ": ".
 */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < MAX_CAUSES; depth++) {
    const text = (e instanceof Error ? ownText(e) : String(e)).trim();
    const wider = parts.findIndex((p) => text.includes(p));
    if (wider !== -1) parts[wider] = text;
    else if (text && !parts.some((p) => p.includes(text))) parts.push(text);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(": ");
}
