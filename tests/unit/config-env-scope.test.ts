/**
 * `${VAR}` expanded only in the sections a command uses: read-only commands
 * run without the webhook secret or SMTP password, a placeholder never looks
 * like a usable value, and the service refuses a config that holds one.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { envFieldPaths } from "../../src/config/env-field.js";
import { parseConfig, unresolvedFields } from "../../src/config/load.js";
import { ConfigSchema } from "../../src/config/schema.js";
import { StartupError } from "../../src/errors.js";
import { startService } from "../../src/service/service.js";
import { runCli } from "../helpers/cli.js";
import { TEST_CONFIG_FILE } from "../helpers/config.js";

const SECRETS = `redis: { url: "redis://:\${RPASS}@127.0.0.1:1", prefix: scope }
alerts:
  webhooks:
    - name: ops
      url: "https://hooks.example.test/\${HOOK_TOKEN}"
      secret: "\${HOOK_SECRET}"
      headers: { Authorization: "Bearer \${HOOK_TOKEN}" }
  email: { smtp: "smtp://desk:\${SMTP_PASS}@mail.example.test", user: "\${SMTP_USER}", pass: "\${SMTP_PASS}", from: "\${FROM}", to: ["\${TO}"] }
metrics: { host: "\${METRICS_HOST}" }
`;

describe("sections a command uses", () => {
  it("expands only the sections asked for; the others hold placeholders, listed by unresolvedFields", () => {
    const cfg = parseConfig(SECRETS, TEST_CONFIG_FILE, { RPASS: "pw" }, { env: ["redis"] });
    expect(cfg.redis.url).toBe("redis://:pw@127.0.0.1:1");
    expect(cfg.alerts.webhooks[0]?.url).toBe("env-unresolved:HOOK_TOKEN");
    expect(cfg.alerts.webhooks[0]?.headers.Authorization).toBe("env-unresolved:HOOK_TOKEN");
    expect(cfg.alerts.email?.smtp).toBe("env-unresolved:SMTP_PASS");
    expect(JSON.stringify(cfg)).not.toContain("${");
    expect(unresolvedFields(cfg)).toEqual([
      "alerts.webhooks[0].url",
      "alerts.webhooks[0].secret",
      "alerts.webhooks[0].headers.Authorization",
      "alerts.email.smtp",
      "alerts.email.user",
      "alerts.email.pass",
      "alerts.email.from",
      "alerts.email.to[0]",
      "metrics.host",
    ]);
    // A copy of a partial config is still partial: the placeholders are in the values.
    expect(unresolvedFields(structuredClone(cfg))).toHaveLength(9);
  });

  it("does not expand an out-of-scope variable even when it is set, so nothing depends on what a shell happens to hold", () => {
    const cfg = parseConfig(SECRETS, TEST_CONFIG_FILE, { RPASS: "pw", HOOK_SECRET: "s3cret" }, { env: ["redis"] });
    expect(cfg.alerts.webhooks[0]?.secret).toBe("env-unresolved:HOOK_SECRET");
  });

  it("still requires the variables of the sections asked for, and every one by default", () => {
    expect(() => parseConfig(SECRETS, TEST_CONFIG_FILE, {}, { env: ["redis"] })).toThrow(/redis.url: environment variable RPASS is not set/);
    expect(() => parseConfig(SECRETS, TEST_CONFIG_FILE, { RPASS: "pw" })).toThrow(/alerts.webhooks\[0\].url: environment variable HOOK_TOKEN is not set/);
  });

  it("every field that may hold ${VAR} takes the placeholder (so a read-only command never fails on one)", () => {
    const all = envFieldPaths(ConfigSchema);
    // metrics.token arrived with the status page; the test covers whatever fields the schema marks.
    const text = all.includes("metrics.token") ? SECRETS.replace("metrics: { ", 'metrics: { token: "${T}", ') : SECRETS;
    // redis.url, redis.cluster and redis.sentinel exclude each other: one config per kind of Redis.
    const redisKinds = [
      "",
      'redis: { prefix: scope, cluster: { nodes: ["${N}"], username: "${U}", password: "${P}" } }',
      'redis: { prefix: scope, sentinel: { name: m, sentinels: ["127.0.0.1:1"], username: "${U}", password: "${P}", sentinelUsername: "${U}", sentinelPassword: "${P}" } }',
    ];
    const found = redisKinds.flatMap((redis) => {
      const cfg = parseConfig(redis ? text.replace(/^redis: .*$/m, redis) : text, TEST_CONFIG_FILE, { RPASS: "pw" }, { env: [] });
      return unresolvedFields(cfg).map((p) => p.replace(/\[\d+\]/g, "[]").replace(/headers\.\w+$/, "headers.*"));
    });
    expect(new Set(found)).toEqual(new Set(all));
  });

  it("keeps refusing ${…} outside the fields that take one, in every scope", () => {
    expect(() => parseConfig(`feeds: [{ url: "https://a.example.test/\${X}" }]\n`, TEST_CONFIG_FILE, {}, { env: [] })).toThrow(/feeds\[0\].url: \$\{…\} is only expanded in/);
  });
});

describe("who may use a partial config", () => {
  it("the service refuses to start on one, before it connects anywhere", async () => {
    const cfg = parseConfig(SECRETS, TEST_CONFIG_FILE, { RPASS: "pw" }, { env: ["redis"] });
    const started = startService({ config: cfg, configFile: TEST_CONFIG_FILE, stages: ["alert"], log: pino({ level: "silent" }) });
    await expect(started).rejects.toThrow(StartupError);
    await expect(started).rejects.toThrow(/alerts.webhooks\[0\].url, .* hold an unexpanded/);
  });

  it("a read-only command runs without the webhook secret or SMTP password; check needs them all", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nw-scope-"));
    const file = path.join(dir, "c.yaml");
    writeFileSync(file, SECRETS.replace("${RPASS}", "pw"));
    const classified = await runCli(["classify", "--config", file], { input: '{"title":"China and Iran hold a naval drill","description":""}\n' });
    expect(classified.err).not.toMatch(/not set/);
    expect(classified.code).toBe(0);
    const checked = await runCli(["check", "--config", file]);
    expect(checked.code).toBe(1);
    expect(checked.err).toMatch(/alerts.webhooks\[0\].url: environment variable HOOK_TOKEN is not set/);
    expect(checked.err).toMatch(/c\.yaml:5:\d+: /);
  });
});
