import { describe, expect, it } from "vitest";
import { parseDeliveryInfo } from "../../src/alerts/delivery-record.js";

describe("delivery records read back from Redis", () => {
  const key = "{nw}:delivered:abc";

  it("reads a record", () => {
    expect(parseDeliveryInfo(key, JSON.stringify({ channel: "hook", at: 5, detail: "HTTP 200" }))).toEqual({ channel: "hook", at: 5, detail: "HTTP 200" });
  });

  it.each([
    ["text that is not JSON", "HTTP 200", /\{nw\}:delivered:abc is not JSON/],
    ["JSON of another shape", JSON.stringify({ channel: "hook", at: "yesterday" }), /\{nw\}:delivered:abc is not a delivery record: .*at/],
  ])("fails on %s, naming the key, rather than reading it as not delivered", (_label, raw, message) => {
    expect(() => parseDeliveryInfo(key, raw)).toThrow(message);
  });
});
