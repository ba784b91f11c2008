/** URL credentials and control characters never reach a log, a table or an error line. */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { formatTable } from "../../src/cli/commands/feeds-table.js";
import { formatCluster } from "../../src/cli/commands/clusters.js";
import { createLogger, redactError, redactText, redactUrl, safeLine, sanitizeLogLine } from "../../src/logger.js";
import { jsonLine, printable } from "../../src/printable.js";

describe("redactText", () => {
  it.each([
    ["https://ann:hunter2@feeds.example.test/feed.xml", "https://***:***@feeds.example.test/feed.xml"],
    ["redis://:hunter2@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"],
    ["smtp://ann@mail.example.test:587", "smtp://***@mail.example.test:587"],
    ["feeds/fetch: https://ann:p@ss@host.test/x answered HTTP 401", "feeds/fetch: https://***:***@host.test/x answered HTTP 401"],
    ["first http://a:b@one.test then HTTPS://c:d@two.test/?q=1#f", "first http://***:***@one.test then HTTPS://***:***@two.test/?q=1#f"],
    ["(https://ann:hunter2@h.test)", "(https://***:***@h.test)"],
  ])("%s", (text, redacted) => {
    expect(redactText(text)).toBe(redacted);
  });

  it.each([
    "feeds/fetch: https://feeds.example.test/feed.xml answered HTTP 500",
    "mail to desk@example.test was refused",
    "https://example.test/path/@handle and bob@example.test",
    "no URL at all: ECONNREFUSED 127.0.0.1:6379",
  ])("leaves %s as it is", (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe("redactUrl", () => {
  it("blanks user and password, and returns a URL without them unchanged", () => {
    expect(redactUrl("https://ann:hunter2@feeds.example.test/feed.xml")).toBe("https://***:***@feeds.example.test/feed.xml");
    expect(redactUrl("redis://:hunter2@127.0.0.1:6379")).toBe("redis://:***@127.0.0.1:6379");
    expect(redactUrl("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
    expect(redactUrl("not a url ann:pw@x")).toBe("not a url ann:pw@x");
  });
});

describe("printable", () => {
  it.each([
    ["ESC sequences", "\u001b[2J\u001b]0;pwned\u0007Title", "[2J]0;pwnedTitle"],
    ["C1 controls and DEL", "a\u009b31mb\u007fc\u0090d", "a31mbcd"],
    ["line breaks and tabs become one space", "one\r\ntwo\tthree\u0085four", "one two three four"],
    ["NUL and backspace", "x\u0000y\u0008z", "xyz"],
    ["ordinary text, accents and scripts", "Téhéran – 北京 ✓", "Téhéran – 北京 ✓"],
  ])("%s", (_label, input, output) => {
    expect(printable(input)).toBe(output);
  });

  it("keeps \\n and \\t in a multi-line block, drops \\r and the rest", () => {
    expect(printable("a\tb\r\nc\u001b[1md\u009b", { multiline: true })).toBe("a\tb\nc[1md");
  });

  it("safeLine does both", () => {
    expect(safeLine("feeds/parse: not a feed: root element <x\u001b[31m> of https://u:pw@h.test/f")).toBe(
      "feeds/parse: not a feed: root element <x[31m> of https://***:***@h.test/f",
    );
  });
});

describe("jsonLine", () => {
  it("escapes DEL and C1, which JSON.stringify writes raw, and reads back the same", () => {
    const value = { title: "a\u009bb\u007fc\u001bd" };
    const line = jsonLine(value);
    expect(line).toBe('{"title":"a\\u009bb\\u007fc\\u001bd"}');
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u001f\u007f-\u009f]/.test(line)).toBe(false);
    expect(JSON.parse(line)).toEqual(value);
  });
});

describe("tables and cluster lines", () => {
  it("formatTable lays out 200,000 rows (check-feed on a huge feed) without overflowing the stack", () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [String(i), "x"]);
    const out = formatTable(["item", "b"], rows);
    expect(out.split("\n")).toHaveLength(200_002);
    expect(out.split("\n").at(-1)).toBe("199999  x");
  });

  it("formatTable drops control characters before measuring the columns", () => {
    const out = formatTable(["a", "b"], [["x\u001b[2J", "y\nz"]]);
    expect(out).toBe("a     b\n----  ---\nx[2J  y z");
  });

  it("formatCluster prints feed titles and sources without control characters", () => {
    const lines = formatCluster({
      id: "c1",
      first: 0,
      last: 0,
      count: 1,
      knownEvent: null,
      merged: [],
      members: [{ id: "s1", link: null, verdict: "new", published: "2024-05-03T08:00:00.000Z", source: "Wire\u009b", title: "Drill\u001b]0;x\u0007\nFake line" }],
    } as Parameters<typeof formatCluster>[0]);
    expect(lines[1]).toBe("  new         2024-05-03T08:00  Wire: Drill]0;x Fake line");
  });
});

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe("the logger", () => {
  it("redacts URL credentials in the message, in fields and in error stacks, and drops control characters", () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: "info", destination: stream });
    log.warn({ feedUrl: "https://ann:hunter2@h.test/f", title: "x\u001b[2Jy\u009bz" }, "feed failed: https://ann:hunter2@h.test/f\nforged line");
    log.error({ err: new Error("cannot connect to redis://:hunter2@127.0.0.1:6379") }, "worker error");
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain("hunter2");
      expect(/[\u007f-\u009f]/.test(line)).toBe(false);
      expect(line).not.toMatch(/\\u001b/i);
    }
    const first = JSON.parse(lines[0] ?? "") as { msg: string; feedUrl: string; title: string };
    expect(first).toMatchObject({ msg: "feed failed: https://***:***@h.test/f forged line", feedUrl: "https://***:***@h.test/f", title: "x[2Jyz" });
    const second = JSON.parse(lines[1] ?? "") as { err: { message: string; stack: string } };
    expect(second.err.message).toBe("cannot connect to redis://:***@127.0.0.1:6379");
    expect(second.err.stack).toContain("redis://:***@127.0.0.1:6379");
  });

  it("sanitizeLogLine never splits a JSON escape", () => {
    const value = { a: "back\\slash \\u001b kept as text", b: "\u001b\r\n\t\u0085", c: 'quote " https://u:p@h.test' };
    const out = JSON.parse(sanitizeLogLine(JSON.stringify(value))) as typeof value;
    expect(out).toEqual({ a: value.a, b: "\n\t", c: 'quote " https://***:***@h.test' });
  });

  it("redactError keeps the error's class and redacts its message and stack", () => {
    class Special extends Error {}
    const err = redactError(new Special("GET https://ann:hunter2@h.test/f failed"));
    expect(err).toBeInstanceOf(Special);
    expect(err.message).toBe("GET https://***:***@h.test/f failed");
    expect(err.stack).not.toContain("hunter2");
  });
});
