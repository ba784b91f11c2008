import { describe, expect, it } from "vitest";
import { refusedAddress } from "../../src/feeds/address-guard.js";
import { backoffUntil } from "../../src/feeds/backoff.js";
import { retryAfterMs } from "../../src/feeds/retry-after.js";

describe("backoffUntil", () => {
  const base = { now: 1_000_000, interval: 60_000, maxBackoff: 600_000, retryAfterMs: null };
  it.each([
    [1, 30_000],
    [2, 90_000],
    [3, 210_000],
    [10, 570_000],
  ])("after %i failures waits %i ms", (failures, wait) => {
    expect(backoffUntil({ ...base, failures }) - base.now).toBe(wait);
  });
  it("never before Retry-After", () => {
    expect(backoffUntil({ ...base, failures: 1, retryAfterMs: 3_600_000 }) - base.now).toBe(3_600_000);
  });
});

describe("retryAfterMs", () => {
  const now = Date.UTC(2024, 0, 1);
  it.each([
    ["120", 120_000],
    ["Mon, 01 Jan 2024 00:05:00 GMT", 300_000],
    ["", null],
    ["later", null],
  ])("%j", (value, ms) => expect(retryAfterMs(value, now)).toBe(ms));
});

describe("refusedAddress", () => {
  it.each([
    ["169.254.169.254", false, true],
    ["::ffff:169.254.169.254", false, true],
    ["fe80::1", false, true],
    ["0.0.0.0", false, true],
    ["100.100.100.200", false, true],
    ["127.0.0.1", false, false],
    ["10.1.2.3", false, false],
    ["10.1.2.3", true, true],
    ["127.0.0.1", true, true],
    ["192.168.0.10", true, true],
    ["fd12::1", true, true],
    ["93.184.216.34", true, false],
  ])("%s (blockPrivate %s) refused: %s", (address, blockPrivate, refused) => {
    expect(refusedAddress(address, blockPrivate) !== null).toBe(refused);
  });
});
