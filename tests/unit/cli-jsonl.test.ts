/**
 * JSONL on stdin and in labeled files, as users really feed it: a byte order
 * mark, Windows line ends, binary data, a character split between two reads.
 * Bad lines are reported by number and skipped, never echoed raw, and make
 * the command exit 1.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readJsonl } from "../../src/cli/jsonl.js";
import { runCli } from "../helpers/cli.js";

/** Runs the CLI with stdin given as byte chunks, each written separately. */
const run = (argv: string[], chunks: (string | Buffer)[]) => runCli(argv, { input: chunks, stderrEncoding: "latin1" });

const item = (title: string) => JSON.stringify({ title });
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe("JSONL input", () => {
  it("reads line 1 after a UTF-8 byte order mark, and Windows line ends", async () => {
    const { code, out, err } = await run(["classify"], [`\uFEFF${item("First")}\r\n${item("Second")}\r\n`]);
    expect(err).not.toMatch(/skipped/);
    expect(code).toBe(0);
    expect(out.trim().split("\n").map((l) => (JSON.parse(l) as { title: string }).title)).toEqual(["First", "Second"]);
  });

  it("reports binary lines by number without echoing them, keeps the good lines, and exits 1", async () => {
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x00]);
    const invalidUtf8 = Buffer.from([0x7b, 0x22, 0x74, 0xff, 0xfe, 0x22, 0x7d]);
    const { code, out, err } = await run(["classify"], [`${item("Good")}\n`, binary, Buffer.from("\n"), invalidUtf8, Buffer.from(`\n${item("Also good")}\n`)]);
    expect(code).toBe(1);
    expect(out.trim().split("\n")).toHaveLength(2);
    expect(err).toMatch(/^stdin:2: not text \(binary data\?\); skipped$/m);
    expect(err).toMatch(/^stdin:3: not text \(binary data\?\); skipped$/m);
    expect(err).toMatch(/2 item\(s\) classified, 0 relevant, 2 line\(s\) skipped/);
    expect(err.replace(/\n/g, "")).not.toMatch(CONTROL);
  });

  it("strips control characters from a JSON error that quotes the line", async () => {
    const { code, err } = await run(["dedupe"], [`{"title": "\u009b2J\u0085 oops\n`]);
    expect(code).toBe(1);
    expect(err).toMatch(/^stdin:1: invalid JSON/m);
    expect(err.replace(/\n/g, "")).not.toMatch(CONTROL);
  });

  it("reads a character split between two chunks, and a last line without a line end", async () => {
    const bytes = Buffer.from(item("Café in Tehran"));
    const cut = bytes.indexOf(0xa9); // the second byte of "é"
    const lines: string[] = [];
    const stdin = new PassThrough();
    stdin.write(bytes.subarray(0, cut));
    stdin.write(bytes.subarray(cut));
    stdin.end();
    const reader = readJsonl(stdin, z.object({ title: z.string() }), new PassThrough());
    for await (const { value } of reader) lines.push(value.title);
    expect(lines).toEqual(["Café in Tehran"]);
    expect(reader.rejected).toBe(0);
  });

  it("makes eval exit 1 on a bad line in a labeled file, and still measure the rest", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "nw-jsonl-")), "labeled.jsonl");
    const labeled = [
      { id: "a", title: "Iran and China stage joint naval exercise", label: "relevant", kind: "relevant" },
      { id: "b", title: "Wheat prices fall in Europe", label: "irrelevant", kind: "other" },
    ];
    writeFileSync(file, Buffer.concat([Buffer.from(`\uFEFF${JSON.stringify(labeled[0])}\n`), Buffer.from([0x00, 0x01, 0x02, 0x0a]), Buffer.from(JSON.stringify(labeled[1]))]));
    const { code, out, err } = await run(["eval", file], []);
    expect(err).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: not text \\(binary data\\?\\); skipped$`, "m"));
    expect(out).toMatch(/classifier\s+precision 1\.000\s+recall 1\.000/);
    expect(code).toBe(1);
  });
});
