import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root folder, whether running from src/ (tsx) or dist/ (compiled). */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`paths: no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const DEFAULT_CONFIG_PATH = path.join(PROJECT_ROOT, "config", "default.yaml");
