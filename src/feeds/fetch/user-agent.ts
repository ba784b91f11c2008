import { readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../paths.js";

const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version?: string };

/** Names newswatch and its version, so feed publishers can tell who polls them. */
export const USER_AGENT = `newswatch/${pkg.version ?? "0"} (feed monitor; +https://github.com/newswatch)`;
