import { describe, expect, it } from "vitest";
import { refusedAddress } from "../../src/feeds/fetch/address-guard.js";
import { backoffUntil } from "../../src/feeds/state/backoff.js";
import { MAX_RETRY_AFTER_MS, retryAfterMs } from "../../src/http/retry-after.js";

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
    [" 0 ", 0],
    ["Mon, 01 Jan 2024 00:05:00 GMT", 300_000],
    // RFC 850 and asctime, the obsolete HTTP-date forms a recipient must still read.
    ["Monday, 01-Jan-24 00:05:00 GMT", 300_000],
    ["Mon Jan  1 00:05:00 2024", 300_000],
    ["Sun, 31 Dec 2023 23:00:00 GMT", 0],
    ["", null],
    [null, null],
    [undefined, null],
    ["later", null],
    // Date.parse reads each of these as a day in 2001.
    ["-5", null],
    ["soon 12", null],
    ["1.5", null],
    ["2024-01-01T00:05:00Z", null],
    ["Mon, 99 Foo 2024 nonsense", null],
    ["86400", MAX_RETRY_AFTER_MS],
    ["86401", MAX_RETRY_AFTER_MS],
    ["9".repeat(400), MAX_RETRY_AFTER_MS],
    ["Fri, 31 Dec 9999 23:59:59 GMT", MAX_RETRY_AFTER_MS],
  ])("%j → %j ms", (value, ms) => expect(retryAfterMs(value, now)).toBe(ms));

  it("reads an asctime date as GMT whatever the local zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "Asia/Tokyo";
    try {
      expect(retryAfterMs("Mon Jan  1 00:05:00 2024", now)).toBe(300_000);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
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
