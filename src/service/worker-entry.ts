/** Shared body of the workers/*.ts entry points: run some stages with `--config` from argv. */
import { parseArgs } from "node:util";
import type { QueueName } from "../queues/names.js";
import { runServiceProcess } from "./process.js";
import { printable } from "../printable.js";
import { redactText } from "../logger.js";

export function runWorkerEntry(stages: readonly QueueName[]): void {
  const { values } = parseArgs({ options: { config: { type: "string", short: "c" } }, strict: true });
  runServiceProcess({ stages, configFlag: values.config, env: process.env }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`newswatch: ${printable(redactText(err instanceof Error ? (err.stack ?? err.message) : String(err)), { multiline: true })}\n`);
      process.exit(1);
    },
  );
}
