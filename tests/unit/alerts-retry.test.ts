import { describe, expect, it } from "vitest";
import { alertBackoffStrategy, attemptsFor, backoffDelay, nominalDelay, parseRetryAfter, RetryableError, type RetryPolicy } from "../../src/alerts/retry.js";
import { ConfigSchema } from "../../src/config/schema.js";

const POLICY: RetryPolicy = { horizon: 60_000, delay: 1_000, maxDelay: 10_000, jitter: 0.2 };

describe("alert retry policy", () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [4, 8_000],
    [5, 10_000],
    [30, 10_000],
  ])("nominal delay after %i failed tries is %i ms", (made, ms) => {
    expect(nominalDelay(POLICY, made)).toBe(ms);
  });

  it("gives as many tries as the nominal delays need to span the horizon", () => {
    // 1+2+4+8 = 15 s, then 10 s each: 5 more reach 65 s ≥ 60 s; 9 retries + the first try.
    expect(attemptsFor(POLICY)).toBe(10);
    const defaults = ConfigSchema.parse({}).alerts;
    const policy = { horizon: defaults.retryHorizon, delay: defaults.retryDelay, maxDelay: defaults.retryMaxDelay, jitter: 0 };
    const n = attemptsFor(policy);
    const spanned = Array.from({ length: n - 1 }, (_, i) => nominalDelay(policy, i + 1)).reduce((a, b) => a + b, 0);
    expect(spanned).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(spanned - nominalDelay(policy, n - 1)).toBeLessThan(24 * 3_600_000);
  });

  it("jitters symmetrically within the configured fraction", () => {
    expect(backoffDelay(POLICY, 3, () => 0)).toBe(3_200);
    expect(backoffDelay(POLICY, 3, () => 0.5)).toBe(4_000);
    expect(backoffDelay(POLICY, 3, () => 1)).toBe(4_800);
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(POLICY, 3, Math.random)));
    expect(seen.size).toBeGreaterThan(1);
  });

  it("follows Retry-After, capped at the horizon", () => {
    expect(backoffDelay(POLICY, 1, () => 0.5, 7_000)).toBe(7_000);
    expect(backoffDelay(POLICY, 1, () => 0.5, 3_600_000)).toBe(60_000);
  });

  it.each([
    ["120", 120_000],
    [" 0 ", 0],
    ["Wed, 01 Jan 2025 00:00:30 GMT", 30_000],
    ["Wed, 01 Jan 2025 00:00:00 GMT", 0],
    ["soon", undefined],
    [undefined, undefined],
  ])("Retry-After %j is %j ms", (value, ms) => {
    expect(parseRetryAfter(value, Date.parse("2025-01-01T00:00:00Z"))).toBe(ms);
  });

  it("the stage's strategy reads Retry-After from the thrown error only", () => {
    const strategy = alertBackoffStrategy(POLICY, () => 0.5);
    expect(strategy(2, new RetryableError("x", { retryAfterMs: 5_000 }))).toBe(5_000);
    expect(strategy(2, new RetryableError("x"))).toBe(2_000);
    expect(strategy(2, new Error("x"))).toBe(2_000);
  });
});
