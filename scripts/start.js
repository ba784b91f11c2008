#!/usr/bin/env node
/**
 * `npm start` and the `start:*` scripts: `node scripts/start.js ENTRY [args…]`
 * brings dist/ up to date, then runs dist/ENTRY in this same process.
 *
 * - The build is `tsc -b`, incremental (tsconfig.build.json keeps its build
 *   info in dist/): with nothing changed it takes a fraction of a second, after
 *   an edit it recompiles what the edit touched. A missing entry forces a full
 *   build, since tsc -b trusts its build info over the files in dist/.
 * - The entry is imported, not spawned: npm forwards SIGTERM and SIGINT to
 *   the process it started (the scripts `exec` this one, so no shell sits in
 *   between), and that process must be the service itself, or the signal
 *   stops the launcher and leaves the service running.
 * - Without TypeScript (a production install) the existing dist/ is run as is.
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { copyLua } from "./copy-lua.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const [entryArg] = process.argv.splice(2, 1);
if (!entryArg) {
  process.stderr.write("usage: node scripts/start.js ENTRY [args…]   (ENTRY under dist/, e.g. src/cli/main.js)\n");
  process.exit(2);
}
const entry = path.join(root, "dist", entryArg);
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const buildInfo = path.join(root, "dist", "tsconfig.build.tsbuildinfo");

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

if (existsSync(tsc)) {
  const started = Date.now();
  const before = mtime(buildInfo);
  const args = [tsc, "-b", path.join(root, "tsconfig.build.json"), ...(existsSync(entry) ? [] : ["--force"])];
  const build = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (build.status !== 0) {
    process.stderr.write(`npm start: the TypeScript build failed (${build.signal ?? `exit ${build.status}`}); the service was not started\n`);
    process.exit(1);
  }
  copyLua();
  if (mtime(buildInfo) !== before) process.stderr.write(`npm start: dist/ brought up to date in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
} else if (!existsSync(entry)) {
  process.stderr.write(`npm start: ${path.relative(root, entry)} is missing and TypeScript is not installed to build it (npm ci, then npm run build)\n`);
  process.exit(1);
}

await import(pathToFileURL(entry).href);
