/**
 * The Redis reporter turns the errors and retries of many connections into a
 * few lines: one per backoff step while Redis is away, one when it is back.
 * Driven by a clock of the test's own, so hours of outage take no time.
 */
import { PassThrough } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { reconnectDelay, redisTrouble } from "../../src/queues/connection.js";
import { createRedisReporter } from "../../src/service/redis-reporter.js";

function harness(url = "redis://:s3cret@127.0.0.1:6390") {
  const stream = new PassThrough();
  const lines: { msg: string; level: number; at: number }[] = [];
  let clock = 1_000_000;
  stream.on("data", (d: Buffer) => {
    for (const l of d.toString().split("\n").filter(Boolean)) lines.push({ ...(JSON.parse(l) as { msg: string; level: number }), at: clock });
  });
  const reporter = createRedisReporter({ url, log: pino({ level: "debug" }, stream), now: () => clock });
  return {
    reporter,
    lines,
    advance: (ms: number) => (clock += ms),
    flush: () => new Promise((r) => setImmediate(r)),
  };
}

const refused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6390"), { code: "ECONNREFUSED", syscall: "connect" });

/** Twelve clients failing and retrying on their own backoff, as a service's connections do, for `ms`. */
function outage(h: ReturnType<typeof harness>, ms: number): void {
  const attempts = Array.from({ length: 12 }, () => ({ n: 0, next: 0 }));
  for (let t = 0; t < ms; t += 50) {
    for (const c of attempts) {
      if (t < c.next) continue;
      h.reporter.error(refused(), "redis");
      h.reporter.error(new Error("Connection is closed."), "alert worker");
      const delay = reconnectDelay(++c.n);
      h.reporter.retrying(delay);
      c.next = t + delay;
    }
    h.advance(50);
  }
}

describe("redis reporter", () => {
  it("says an outage once per backoff step, with the cause and the next try, and never a password", async () => {
    const h = harness();
    h.reporter.ready(); // connected at start-up: no line
    outage(h, 20_000);
    await h.flush();
    const times = h.lines.map((l) => l.at);
    expect(h.lines.length).toBeGreaterThanOrEqual(4);
    expect(h.lines.length).toBeLessThanOrEqual(6); // 0, 1, 3, 7, 15 s
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1_000);
    expect(h.lines[0]!.msg).toBe("redis: cannot connect to redis://:***@127.0.0.1:6390 (ECONNREFUSED); retrying in 0.25 s");
    expect(h.lines[1]!.msg).toMatch(/^redis: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:6390 \(ECONNREFUSED\); down for 1(\.\d)? s, retrying in \d(\.\d+)? s$/);
    expect(JSON.stringify(h.lines)).not.toContain("s3cret");

    h.advance(400);
    h.reporter.ready();
    h.reporter.ready(); // the other connections coming back say nothing more
    await h.flush();
    expect(h.lines.at(-1)!.msg).toMatch(/^redis: connected again after 20(\.\d)? s$/);
    expect(h.lines.filter((l) => l.msg.startsWith("redis: connected"))).toHaveLength(1);
  });

  it("starts each outage afresh, and says 'waiting' before Redis was ever reached", async () => {
    const h = harness("redis://127.0.0.1:6390");
    outage(h, 2_000);
    h.reporter.ready();
    h.advance(5_000);
    outage(h, 1_000);
    await h.flush();
    expect(h.lines.map((l) => l.msg)).toEqual([
      "redis: cannot connect to redis://127.0.0.1:6390 (ECONNREFUSED); waiting for it, retrying in 0.25 s",
      expect.stringMatching(/; down for 1(\.\d)? s, waiting for it, retrying in/),
      "redis: connected to redis://127.0.0.1:6390 after 2 s",
      "redis: cannot connect to redis://127.0.0.1:6390 (ECONNREFUSED); retrying in 0.25 s",
    ]);
  });

  it("names a refused login and points at the password", async () => {
    const h = harness("redis://127.0.0.1:6390");
    h.reporter.ready();
    h.reporter.error(new Error("NOAUTH Authentication required."), "redis");
    h.reporter.retrying(500);
    await h.flush();
    expect(h.lines[0]!.msg).toBe(
      "redis: redis://127.0.0.1:6390 refuses us (NOAUTH Authentication required.); check the password in REDIS_URL or redis.url; retrying in 0.5 s",
    );
  });

  it("logs other errors a queue or worker relays, at most one a second, counting the rest", async () => {
    const h = harness();
    for (let i = 0; i < 30; i++) {
      h.reporter.error(new Error(`ERR Error running script ${i}\n    at a stack line`), "poll worker");
      h.advance(100);
    }
    await h.flush();
    expect(h.lines.map((l) => l.msg)).toEqual([
      "poll worker: ERR Error running script 0",
      "poll worker: ERR Error running script 10 (and 9 more error(s) not shown)",
      "poll worker: ERR Error running script 20 (and 9 more error(s) not shown)",
    ]);
  });
});

describe("redisTrouble", () => {
  it.each([
    [refused(), "ECONNREFUSED"],
    [Object.assign(new Error("getaddrinfo ENOTFOUND redis"), { code: "ENOTFOUND" }), "ENOTFOUND"],
    [new Error("NOAUTH Authentication required."), "NOAUTH Authentication required."],
    [new Error("WRONGPASS invalid username-password pair or user is disabled."), "WRONGPASS invalid username-password pair or user is disabled."],
    [new Error("Ready check failed: NOAUTH Authentication required."), "NOAUTH Authentication required."],
    [new Error("Connection is closed."), ""],
    [new Error("ERR unknown command 'FOO'"), null],
    [new Error("Missing lock for job 12. moveToFinished"), null],
  ])("%s → %j", (err, expected) => {
    expect(redisTrouble(err)).toBe(expected);
  });

  it("backs off 0.25, 0.5, 1 s, then every 2 s", () => {
    expect([1, 2, 3, 4, 5, 50].map(reconnectDelay)).toEqual([250, 500, 1000, 2000, 2000, 2000]);
  });
});
