/** What a feed response means, from its status and headers alone (fetch/response.ts). */
import { describe, expect, it } from "vitest";
import { headerValue, responseOutcome, type ResponseHeaders, type ResponseOutcome } from "../../src/feeds/fetch/response.js";

const NOW = Date.UTC(2024, 0, 1);
const LOC = { location: "/moved.xml" };
const WAIT = { "retry-after": "120" };

describe("responseOutcome", () => {
  it.each<[number, ResponseHeaders, ResponseOutcome]>([
    [200, {}, { kind: "ok" }],
    [203, {}, { kind: "ok" }],
    [204, {}, { kind: "ok" }],
    [304, LOC, { kind: "not-modified" }],
    [301, LOC, { kind: "redirect", permanent: true, location: "/moved.xml" }],
    [308, LOC, { kind: "redirect", permanent: true, location: "/moved.xml" }],
    [302, LOC, { kind: "redirect", permanent: false, location: "/moved.xml" }],
    [303, LOC, { kind: "redirect", permanent: false, location: "/moved.xml" }],
    [307, LOC, { kind: "redirect", permanent: false, location: "/moved.xml" }],
    [301, {}, { kind: "unexpected", status: 301 }],
    [302, { location: "" }, { kind: "unexpected", status: 302 }],
    [300, LOC, { kind: "unexpected", status: 300 }],
    [305, LOC, { kind: "unexpected", status: 305 }],
    [101, {}, { kind: "unexpected", status: 101 }],
    [429, WAIT, { kind: "retry-later", status: 429, retryAfterMs: 120_000 }],
    [503, WAIT, { kind: "retry-later", status: 503, retryAfterMs: 120_000 }],
    [503, { "retry-after": "Mon, 01 Jan 2024 00:01:00 GMT" }, { kind: "retry-later", status: 503, retryAfterMs: 60_000 }],
    [429, {}, { kind: "retry-later", status: 429, retryAfterMs: null }],
    [429, { "retry-after": "soon" }, { kind: "retry-later", status: 429, retryAfterMs: null }],
    [410, WAIT, { kind: "gone", status: 410 }],
    [400, WAIT, { kind: "client-error", status: 400 }],
    [401, {}, { kind: "client-error", status: 401 }],
    [404, {}, { kind: "client-error", status: 404 }],
    [500, WAIT, { kind: "server-error", status: 500 }],
    [502, {}, { kind: "server-error", status: 502 }],
    [504, {}, { kind: "server-error", status: 504 }],
  ])("HTTP %i %j → %j", (status, headers, outcome) => {
    expect(responseOutcome(status, headers, NOW)).toEqual(outcome);
  });

  it("follows the first of repeated Location headers", () => {
    expect(responseOutcome(301, { location: ["/a.xml", "/b.xml"] }, NOW)).toEqual({ kind: "redirect", permanent: true, location: "/a.xml" });
  });
});

describe("headerValue", () => {
  it.each<[ResponseHeaders, string | null]>([
    [{ etag: '"v1"' }, '"v1"'],
    [{ etag: ['"v1"', '"v2"'] }, '"v1"'],
    [{ etag: [] }, null],
    [{ etag: undefined }, null],
    [{}, null],
  ])("%j → %j", (headers, value) => expect(headerValue(headers, "etag")).toBe(value));
});
