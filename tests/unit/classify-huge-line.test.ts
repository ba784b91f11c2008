/**
 * A 5 MB line to `newswatch classify` is judged on its capped text: the
 * process runs with its heap held to 300 MB and must finish and answer.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";

it("classifies a 5 MB entity-dense line within a 300 MB heap", async () => {
  const line = JSON.stringify({ title: "Iran and China hold a naval drill", description: "Iran China defense minister drill &amp; ".repeat(140_000) }) + "\n";
  expect(line.length).toBeGreaterThan(5_000_000);
  const child = spawn(process.execPath, ["--max-old-space-size=300", "--import", "tsx", path.join(PROJECT_ROOT, "src/cli/main.ts"), "classify"], {
    cwd: PROJECT_ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  child.stdin.end(line);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(err).toContain("1 item(s) classified, 1 relevant");
  expect(code).toBe(0);
  const { classification } = JSON.parse(out) as { classification: { relevant: boolean; evidence: string } };
  expect(classification.relevant).toBe(true);
  expect(classification.evidence.length).toBeLessThan(10_000);
}, 60_000);
