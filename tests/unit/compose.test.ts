import { execFileSync, spawnSync } from "node:child_process";
import { expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/paths.js";

const hasCompose = spawnSync("docker-compose", ["version"], { stdio: "ignore" }).status === 0;
if (!hasCompose) console.warn("skipping: docker-compose is not installed (apt install docker-compose validates the file without an engine)");

it.runIf(hasCompose)("docker-compose.yml is valid and runs redis with AOF, newswatch and mailpit", () => {
  const out = execFileSync("docker-compose", ["-f", "docker-compose.yml", "config"], { cwd: PROJECT_ROOT, encoding: "utf8" });
  expect(out).toMatch(/redis:\n/);
  expect(out).toMatch(/--appendonly/);
  expect(out).toMatch(/newswatch:\n/);
  expect(out).toMatch(/mailpit:\n/);
  expect(out).toMatch(/condition: service_healthy/);
});
