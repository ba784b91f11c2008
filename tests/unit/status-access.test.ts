import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "../../src/config/sections/metrics.js";
import { authCookieValue, checkAccess, createCsrf, sameOrigin, sameSecret } from "../../src/status/access.js";
import { configProblems } from "../helpers/config.js";

const TOKEN = "s3cret-token-0123456789";
const at = (path: string) => new URL(path, "http://status.invalid");

describe("status page access without a token", () => {
  it.each(["127.0.0.1:8080", "localhost:9", "[::1]:80", "127.3.4.5"])("serves Host %s", (host) => {
    expect(checkAccess(at("/"), { host }, undefined)).toEqual({ ok: true });
  });

  it.each(["evil.example", "evil.example:8080", "192.168.1.5", "127.0.0.1.evil.example", undefined])("refuses Host %s (DNS rebinding)", (host) => {
    expect(checkAccess(at("/"), { host }, undefined)).toMatchObject({ ok: false, status: 403 });
  });
});

describe("status page access with a token", () => {
  const host = "status.example:9464";

  it("takes the token as a Bearer header, in constant time", () => {
    expect(checkAccess(at("/"), { host, authorization: `Bearer ${TOKEN}` }, TOKEN)).toEqual({ ok: true });
    expect(checkAccess(at("/"), { host, authorization: "Bearer wrong" }, TOKEN)).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess(at("/"), { host }, TOKEN)).toMatchObject({ ok: false, status: 401 });
  });

  it("requires it on loopback too once one is configured", () => {
    expect(checkAccess(at("/queues/"), { host: "127.0.0.1" }, TOKEN)).toMatchObject({ ok: false, status: 401 });
  });

  it("trades ?token= for an HttpOnly SameSite=Strict cookie and a URL without the token", () => {
    const result = checkAccess(at(`/queues/?token=${TOKEN}&x=1`), { host }, TOKEN);
    expect(result).toEqual({ ok: true, location: "/queues/?x=1", setCookie: `nw_status=${authCookieValue(TOKEN)}; Path=/; HttpOnly; SameSite=Strict` });
    expect(authCookieValue(TOKEN)).not.toContain(TOKEN);
    expect(checkAccess(at("/"), { host, cookie: `a=b; nw_status=${authCookieValue(TOKEN)}` }, TOKEN)).toEqual({ ok: true });
    expect(checkAccess(at("/"), { host, cookie: `nw_status=${TOKEN}` }, TOKEN)).toMatchObject({ ok: false });
    expect(checkAccess(at("/?token=nope"), { host }, TOKEN)).toMatchObject({ ok: false, status: 401 });
  });
});

describe("unsafe requests", () => {
  it.each([
    [{ host: "127.0.0.1:8080", origin: "http://127.0.0.1:8080" }, true],
    [{ host: "127.0.0.1:8080", origin: "http://evil.example" }, false],
    [{ host: "127.0.0.1:8080", origin: "null" }, false],
    [{ host: "127.0.0.1:8080", "sec-fetch-site": "cross-site" }, false],
    [{ host: "127.0.0.1:8080", "sec-fetch-site": "same-origin" }, true],
    [{ host: "127.0.0.1:8080" }, true],
  ])("sameOrigin(%o) = %s", (headers, expected) => expect(sameOrigin(headers)).toBe(expected));

  it("accepts a CSRF token only for the session it was issued to, and only from this process", () => {
    const csrf = createCsrf();
    const token = csrf.issue("session-a");
    expect(csrf.verify("session-a", token)).toBe(true);
    expect(csrf.verify("session-b", token)).toBe(false);
    expect(csrf.verify("", csrf.issue(""))).toBe(false);
    expect(createCsrf().verify("session-a", token)).toBe(false);
  });

  it("compares secrets of any length", () => {
    expect(sameSecret("abc", "abc")).toBe(true);
    expect(sameSecret("abc", "abcd")).toBe(false);
  });
});

describe("metrics config", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.9.9.9", true],
    ["localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.2", false],
    ["status.example", false],
  ])("isLoopbackHost(%s) = %s", (host, expected) => expect(isLoopbackHost(host)).toBe(expected));

  it("refuses a non-loopback host without a token", () => {
    expect(configProblems("metrics: { port: 9464, host: 0.0.0.0 }").join("\n")).toMatch(/metrics\.token.*required when metrics\.host \(0\.0\.0\.0\) is not a loopback address/);
  });

  it("accepts one with a token from the environment, and loopback without", () => {
    expect(() => configProblems("metrics: { port: 9464, host: 0.0.0.0, token: \"${STATUS_TOKEN}\" }", { STATUS_TOKEN: TOKEN })).toThrow("expected a ConfigError");
    expect(() => configProblems("metrics: { port: 9464 }")).toThrow("expected a ConfigError");
  });

  it("refuses a short token", () => {
    expect(configProblems(`metrics: { port: 9464, token: short }`).join("\n")).toMatch(/metrics\.token/);
  });
});
