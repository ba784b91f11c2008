/**
 * docker-compose.yml and the Dockerfile, read as data so the checks run everywhere: Redis is not published on
 * the host and needs a password that newswatch is given, every published port is loopback-only, the image
 * is a pinned Node LTS with a health check. Where docker-compose is installed, it validates the file too.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../src/paths.js";

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(path.join(PROJECT_ROOT, "docker-compose.yml"), "utf8")) as { services: Record<string, Service> };
const dockerfile = readFileSync(path.join(PROJECT_ROOT, "Dockerfile"), "utf8");
const { redis, newswatch } = compose.services as { redis: Service; newswatch: Service };

describe("docker-compose.yml", () => {
  it("runs redis with AOF, newswatch and mailpit, newswatch after Redis is healthy", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["mailpit", "newswatch", "redis"]);
    expect(redis.command).toContain("--appendonly");
    expect(redis.healthcheck?.test.join(" ")).toMatch(/redis-cli ping/);
    expect(newswatch.depends_on?.redis?.condition).toBe("service_healthy");
  });

  it("does not publish Redis on the host, and binds every published port to loopback", () => {
    for (const port of redis.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:(?!6379:)\d+:6379$/);
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it("requires a Redis password and gives it to newswatch in REDIS_URL", () => {
    const command = redis.command as string[];
    const i = command.indexOf("--requirepass");
    expect(i).toBeGreaterThan(-1);
    expect(command[i + 1]).toMatch(/^\$\{REDIS_PASSWORD:\?.+\}$/);
    expect(newswatch.environment?.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD(:\?[^}]*)?\}@redis:6379$/);
    // The health check must authenticate too, or it fails once a password is required.
    expect(redis.environment?.REDISCLI_AUTH).toMatch(/^\$\{REDIS_PASSWORD(:\?[^}]*)?\}$/);
  });
});

describe("Dockerfile", () => {
  it("builds on a Node LTS image pinned to a patch release, and package.json still allows Node 20.19", () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(image).toMatch(/^node:(24|26)\.\d+\.\d+-(bookworm|trixie)-slim$/);
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(["${NODE_IMAGE}", "${NODE_IMAGE}"]);
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(">=20.19.0");
  });

  it("has a health check that runs on node, shipped in the image, and newswatch as PID 1", () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["node", "scripts\/healthcheck\.js"\]$/m);
    expect(dockerfile).toMatch(/^COPY scripts \.\/scripts$/m);
    expect(existsSync(path.join(PROJECT_ROOT, "scripts/healthcheck.js"))).toBe(true);
    // Without a metrics port the check could only ask Redis, which says nothing of the service.
    expect(dockerfile).toMatch(/^ENV NEWSWATCH_METRICS_PORT=\d+$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/src\/cli\/main\.js", "run"\]$/m);
  });
});

const hasCompose = spawnSync("docker-compose", ["version"], { stdio: "ignore" }).status === 0;
if (!hasCompose) console.warn("skipping the docker-compose validation: docker-compose is not installed (the checks above still ran)");

it.runIf(hasCompose)("docker-compose validates the file, and refuses it without REDIS_PASSWORD", () => {
  const run = (env: NodeJS.ProcessEnv) => spawnSync("docker-compose", ["-f", "docker-compose.yml", "config"], { cwd: PROJECT_ROOT, encoding: "utf8", env });
  const { REDIS_PASSWORD: _unset, ...without } = process.env;
  expect(run(without).status).not.toBe(0);
  const out = execFileSync("docker-compose", ["-f", "docker-compose.yml", "config"], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...without, REDIS_PASSWORD: "test-password" } });
  expect(out).toMatch(/redis:\/\/:test-password@redis:6379/);
  expect(out).toMatch(/condition: service_healthy/);
});
