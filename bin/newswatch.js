#!/usr/bin/env node
// The `newswatch` command runs the compiled CLI in dist/ (`npm run build`; `npm start` builds it too).
import { existsSync } from "node:fs";
import process from "node:process";
import { URL } from "node:url";

const entry = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("newswatch: dist/ is not built yet; run `npm run build` in the newswatch folder first\n");
  process.exit(1);
}
await import(entry.href);
