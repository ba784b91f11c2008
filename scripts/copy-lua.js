#!/usr/bin/env node
/**
 * Copies the Lua scripts (src/**\/*.lua) beside the compiled modules in
 * dist/src, since tsc copies only what it compiles and each module loads its
 * scripts from its own folder (src/lua.ts). Run by `npm run build` and
 * `npm start`; the Docker image is built with `npm run build`.
 */
import { cpSync, readdirSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function copyLua() {
  const src = path.join(root, "src");
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".lua")) continue;
    const from = path.join(entry.parentPath, entry.name);
    cpSync(from, path.join(root, "dist", "src", path.relative(src, from)));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) copyLua();
