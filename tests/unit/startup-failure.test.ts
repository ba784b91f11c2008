/** The one message a failed start-up leaves: a line for what the operator can fix, the stack only for a bug. */
import { describe, expect, it } from "vitest";
import { StartupError } from "../../src/errors.js";
import { startupFailureMessage } from "../../src/service/startup-failure.js";

describe("startupFailureMessage", () => {
  it.each<[string, Error, string]>([
    ["a StartupError", new StartupError("--private-redis: REDIS_URL names a Redis"), "newswatch: cannot start: --private-redis: REDIS_URL names a Redis"],
    [
      "a system error",
      Object.assign(new Error("listen EADDRINUSE: address already in use 127.0.0.1:9464"), { code: "EADDRINUSE" }),
      "newswatch: cannot start: listen EADDRINUSE: address already in use 127.0.0.1:9464",
    ],
    [
      "one of ours, with its cause",
      new Error("reference: cannot read /srv/ref/a.yaml", { cause: Object.assign(new Error("ENOENT: no such file or directory, open '/srv/ref/a.yaml'"), { code: "ENOENT" }) }),
      "newswatch: cannot start: reference: cannot read /srv/ref/a.yaml: ENOENT: no such file or directory, open '/srv/ref/a.yaml'",
    ],
    ["one with a password in it", new StartupError("redis: cannot use redis://:hunter2@db:6379"), "newswatch: cannot start: redis: cannot use redis://:***@db:6379"],
  ])("says %s in one line", (_what, err, expected) => {
    expect(startupFailureMessage(err)).toBe(expected);
  });

  it("keeps the stack of what looks like a bug", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'url')");
    const message = startupFailureMessage(bug);
    expect(message.split("\n")[0]).toBe("newswatch: cannot start: TypeError: Cannot read properties of undefined (reading 'url')");
    expect(message).toMatch(/\n\s+at /);
  });
});
