/**
 * Sizing for many feeds from per-poll and per-feed figures measured on a
 * small round (bench/scale.ts). Pure: the same figures give the same table.
 * Everything beyond the measured round is extrapolation, and the
 * assumptions it rests on are arguments, printed with the table.
 */

/** What bench/scale.ts measured, per poll or per feed. */
export interface Measured {
  /** CPU of the service process per poll (mostly 304s), amortising its idle work over the round. */
  serviceCpuMsPerPoll: number;
  redisCpuMsPerPoll: number;
  redisOpsPerPoll: number;
  /** Redis memory per feed apart from its seen-items set: state hash, scheduler, pending poll job, queue entries. */
  baseBytesPerFeed: number;
  /** Memory that does not grow with the feeds (events streams, kept jobs), as measured. */
  fixedBytes: number;
  /** One remembered item in a seen-items set of retention size (a skiplist, not the small listpack). */
  seenBytesPerItem: number;
}

export interface Assumptions {
  intervalMs: number;
  /** Time one poll waits on a real feed server; loopback answers in about a millisecond. */
  fetchLatencyMs: number;
  /** Items remembered per feed: a feed's document, or seenTtl (90 days) of its new items, at most seenMax. */
  retainedItems: number;
  /** Concurrent polls per process (src/jobs/poll-feed.ts). */
  pollConcurrency: number;
  /** One process is assumed to use at most this much CPU (its event loop plus some of the parse/classify threads). */
  coresPerProcess: number;
}

export interface Sizing {
  feeds: number;
  pollsPerSec: number;
  redisOpsPerSec: number;
  redisMemoryBytes: number;
  redisCpuShare: number;
  serviceCores: number;
  /** Polls in flight at once, by Little's law: rate × latency. */
  pollSlots: number;
  processes: number;
}

export function sizeFor(feeds: number, m: Measured, a: Assumptions): Sizing {
  const pollsPerSec = feeds / (a.intervalMs / 1000);
  const serviceCores = (pollsPerSec * m.serviceCpuMsPerPoll) / 1000;
  const pollSlots = (pollsPerSec * a.fetchLatencyMs) / 1000;
  return {
    feeds,
    pollsPerSec,
    redisOpsPerSec: pollsPerSec * m.redisOpsPerPoll,
    redisMemoryBytes: m.fixedBytes + feeds * (m.baseBytesPerFeed + a.retainedItems * m.seenBytesPerItem),
    redisCpuShare: (pollsPerSec * m.redisCpuMsPerPoll) / 1000,
    serviceCores,
    pollSlots,
    processes: Math.max(1, Math.ceil(pollSlots / a.pollConcurrency), Math.ceil(serviceCores / a.coresPerProcess)),
  };
}

const mb = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`);
const n = (x: number) => Math.round(x).toLocaleString("en-US");

/** One row per feed count, the retained-items cases side by side in the memory column. */
export function sizingTable(feedCounts: number[], m: Measured, a: Assumptions, retained: number[]): string[] {
  const header = ["feeds", "polls/s", "Redis ops/s", "Redis CPU", `Redis memory (${retained.join(" / ")} items kept)`, "poll slots", "service CPU", "processes"];
  const rows = feedCounts.map((feeds) => {
    const s = sizeFor(feeds, m, a);
    const memory = retained.map((r) => mb(sizeFor(feeds, m, { ...a, retainedItems: r }).redisMemoryBytes)).join(" / ");
    return [n(feeds), n(s.pollsPerSec), n(s.redisOpsPerSec), `${(s.redisCpuShare * 100).toFixed(0)} % of a core`, memory, n(s.pollSlots), `${s.serviceCores.toFixed(2)} cores`, String(s.processes)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  | ${cells.map((c, i) => c.padStart(widths[i]!)).join(" | ")} |`;
  return [line(header), `  |${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)];
}
