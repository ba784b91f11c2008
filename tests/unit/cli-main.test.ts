/** The CLI's front door: --version, help for command groups, and help texts that point at files users have. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";
import { runCli } from "../helpers/cli.js";

describe("newswatch --version", () => {
  it.each([["--version"], ["-v"]])("%s prints package.json's version", async (flag) => {
    const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string };
    const { code, out } = await runCli([flag]);
    expect(code).toBe(0);
    expect(out).toBe(`newswatch ${version}\n`);
  });
});

describe("command groups", () => {
  it("lists a group's commands for `alerts --help`, on stdout with status 0", async () => {
    const { code, out, err } = await runCli(["alerts", "--help"]);
    expect(code).toBe(0);
    expect(err).toBe("");
    expect(out).toMatch(/^usage: newswatch alerts <command> \[options\]/);
    expect(out).toMatch(/^ {2}alerts failed\s+\S/m);
    expect(out).toMatch(/^ {2}alerts retry\s+\S/m);
    expect(out).not.toMatch(/unknown command/);
  });

  it("shows a command's own help and then its group's for `feeds --help`", async () => {
    const { code, out } = await runCli(["feeds", "-h"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^usage: newswatch feeds \[--json\]/);
    expect(out).toMatch(/^ {2}feeds import\s+\S/m);
    expect(out).toMatch(/^ {2}feeds export\s+\S/m);
  });

  it("lists the group's commands, on stderr with status 2, for the group word alone or an unknown subcommand", async () => {
    const alone = await runCli(["alerts"]);
    expect(alone.code).toBe(2);
    expect(alone.err).toMatch(/^usage: newswatch alerts <command>/);
    const unknown = await runCli(["alerts", "frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^newswatch: unknown command "alerts frobnicate"\n\nusage: newswatch alerts <command>/);
  });

  it("still says unknown command for a word that is no command and no group", async () => {
    const { code, err } = await runCli(["frobnicate", "--help"]);
    expect(code).toBe(2);
    expect(err).toMatch(/^newswatch: unknown command "frobnicate --help"\n\nusage: newswatch <command>/);
  });

  it("keeps a subcommand's own help", async () => {
    const { code, out } = await runCli(["feeds", "import", "--help"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^usage: newswatch feeds import/);
  });
});

describe("eval --help", () => {
  it("names the labeled data that ships with newswatch and the line format, and every file it names exists", async () => {
    const { code, out } = await runCli(["eval", "--help"]);
    expect(code).toBe(0);
    expect(out).not.toMatch(/shared\/eval/);
    expect(out).toMatch(/"label": "relevant" \| "irrelevant"/);
    expect(out).toMatch(/Exit status: 0 when every line was read, 1 when a line was skipped/);
    const named = out.match(/data\/labeled\/[\w./-]*/g) ?? [];
    expect(named.length).toBeGreaterThan(0);
    for (const p of named.map((n) => n.replace(/\.$/, ""))) expect(existsSync(path.join(PROJECT_ROOT, p)), p).toBe(true);
  });
});
