#!/usr/bin/env node
/** Process entry of the `newswatch` CLI. */
import { main } from "./cli.js";
import { println, type CliIO } from "./command.js";
import { safeLine } from "../logger.js";
import { coerceError } from "../errors.js";

const io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    println(process.stderr, `newswatch: ${safeLine(coerceError(err).message)}`);
    process.exitCode = 1;
  },
);
