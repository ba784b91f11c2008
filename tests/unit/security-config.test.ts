/** `${VAR}` only where the schema allows it; a hostile OPML writes nothing; config errors quote no password. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envFieldPaths } from "../../src/config/env-field.js";
import { parseConfig } from "../../src/config/load.js";
import { ConfigSchema } from "../../src/config/schema.js";
import { configJsonSchema } from "../../src/config/write-schema.js";
import { addFeedsToYaml } from "../../src/cli/feeds/config-edit.js";
import { FeedError } from "../../src/feeds/errors.js";
import { parseOpml, writeOpml } from "../../src/cli/feeds/opml.js";
import { runCli } from "../helpers/cli.js";
import { configProblems, TEST_CONFIG_FILE } from "../helpers/config.js";

const FILE = TEST_CONFIG_FILE;
const ENV = { SMTP_PASS: "hunter2", HOOK: "s3cret", RPASS: "redispw" };

const problems = (text: string, env: Record<string, string> = ENV) => configProblems(text, env);

const ENV_FIELDS = [
  "redis.url",
  "redis.cluster.nodes[]",
  "redis.cluster.username",
  "redis.cluster.password",
  "redis.sentinel.username",
  "redis.sentinel.password",
  "redis.sentinel.sentinelUsername",
  "redis.sentinel.sentinelPassword",
  "alerts.webhooks[].url",
  "alerts.webhooks[].secret",
  "alerts.webhooks[].headers.*",
  "alerts.email.smtp",
  "alerts.email.user",
  "alerts.email.pass",
  "alerts.email.from",
  "alerts.email.to[]",
  "metrics.host",
  "metrics.token",
];

describe("${VAR} in the config", () => {
  it("is allowed exactly in the fields the schema marks, and config/schema.json says which", () => {
    expect(envFieldPaths(ConfigSchema)).toEqual(ENV_FIELDS);
    const json = JSON.stringify(configJsonSchema());
    expect(json.match(/"x-env":true/g)).toHaveLength(ENV_FIELDS.length);
  });

  it("is expanded in every marked field", () => {
    const cfg = parseConfig(
      `redis: { url: "redis://:\${RPASS}@127.0.0.1:6379" }
alerts:
  webhooks: [{ url: "https://hooks.example.test/\${HOOK}", secret: "\${HOOK}", headers: { Authorization: "Bearer \${HOOK}" } }]
  email: { smtp: "smtp://desk:\${SMTP_PASS}@mail.example.test", user: "\${HOOK}", pass: "\${SMTP_PASS}", from: "\${HOOK}@example.test", to: ["\${HOOK}@example.test"] }
metrics: { host: "\${HOOK}" }
`,
      FILE,
      ENV,
    );
    expect(cfg.redis.url).toBe("redis://:redispw@127.0.0.1:6379");
    expect(cfg.alerts.webhooks[0]).toMatchObject({ url: "https://hooks.example.test/s3cret", secret: "s3cret", headers: { Authorization: "Bearer s3cret" } });
    expect(cfg.alerts.email).toMatchObject({ smtp: "smtp://desk:hunter2@mail.example.test", user: "s3cret", pass: "hunter2", from: "s3cret@example.test", to: ["s3cret@example.test"] });
    expect(cfg.metrics.host).toBe("s3cret");
  });

  it.each([
    ["a feed name", `feeds: [{ url: "https://a.example.test/rss", name: "\${SMTP_PASS}" }]\n`, "feeds[0].name"],
    ["a feed URL", `feeds: [{ url: "https://a.example.test/rss?k=\${SMTP_PASS}" }]\n`, "feeds[0].url"],
    ["a topic keyword", `topics: [{ id: t, name: T, actors: [{ side: A, entities: [{ name: A }] }], keywords: ["\${HOOK}"] }]\n`, "topics[0].keywords[0]"],
    ["the key prefix", `redis: { prefix: "\${HOOK}" }\n`, "redis.prefix"],
    ["a webhook's name", `alerts: { webhooks: [{ name: "\${HOOK}", url: "https://h.example.test/" }] }\n`, "alerts.webhooks[0].name"],
    ["the email subject", `alerts: { email: { smtp: "smtp://h", from: a@b, to: [c@d], subject: "\${SMTP_PASS}" } }\n`, "alerts.email.subject"],
    ["the alerts file", `alerts: { file: { path: "\${HOOK}.jsonl" } }\n`, "alerts.file.path"],
  ])("is an error naming the key path in %s, and the value is never read", (_label, text, key) => {
    const found = problems(text);
    expect(found).toEqual([`${key}: \${…} is only expanded in ${ENV_FIELDS.join(", ")}`]);
    expect(found.join("\n")).not.toMatch(/hunter2|s3cret/);
  });

  it("refuses an alias that would carry an expanded value into another field", () => {
    const text = `alerts: { email: { smtp: &smtp "smtp://desk:\${SMTP_PASS}@mail.example.test", from: a@b, to: [c@d] } }\nfeeds: [{ url: *smtp }]\n`;
    expect(problems(text)).toEqual([`feeds[0].url: *smtp holds an expanded \${…}, which is only allowed in ${ENV_FIELDS.join(", ")}`]);
  });

  it("still names a variable that is not set, in a marked field", () => {
    expect(problems(`alerts: { email: { smtp: "smtp://h", from: "\${NOPE}", to: [c@d] } }\n`, {})).toEqual([
      "alerts.email.from: environment variable NOPE is not set",
    ]);
  });
});

describe("config errors quote no credentials", () => {
  it("blanks the password of a duplicate feed's URL", () => {
    expect(problems("feeds: [{ url: 'https://ann:pw1@a.example.test/x' }, { url: 'https://ann:pw1@a.example.test/x' }]\n")).toEqual([
      "feeds[1].url: duplicate feed https://***:***@a.example.test/x",
    ]);
  });

  it("blanks the password in the source line a YAML syntax error quotes", () => {
    const found = problems("redis: { url: redis://:topsecret@127.0.0.1:6379\nfeeds: [\n");
    expect(found.length).toBeGreaterThan(0);
    expect(found.join("\n")).not.toContain("topsecret");
  });
});

const HOSTILE_OPML = `<?xml version="1.0"?>
<opml version="2.0"><body>
  <outline text="Harmless" xmlUrl="https://ok.example.test/rss"/>
  <outline text="Pay \${SMTP_PASS}" xmlUrl="https://evil.example.test/rss"/>
  <outline text="Leaky" xmlUrl="https://ann:pw@evil.example.test/?k=\${REDIS_URL}"/>
</body></opml>`;

describe("feeds import of a hostile OPML", () => {
  it("addFeedsToYaml refuses any URL or name holding ${, naming each outline", () => {
    const call = () => addFeedsToYaml("feeds: []\n", [{ url: "https://evil.example.test/rss", name: "Pay ${SMTP_PASS}" }]);
    expect(call).toThrow(FeedError);
    expect(call).toThrow(/outline "Pay \$\{SMTP_PASS\}" \(https:\/\/evil\.example\.test\/rss\): title/);
  });

  it("feeds export writes no control characters from a feed's name", () => {
    const out = writeOpml([{ url: "https://a.example.test/rss", name: "Wire\u001b]0;x\u0007\u009b" }]);
    expect(out).toContain('text="Wire]0;x"');
    expect(parseOpml(out)).toEqual([{ url: "https://a.example.test/rss", name: "Wire]0;x" }]);
  });

  it("the command writes nothing and says which outlines, without their credentials", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nw-sec-opml-"));
    const config = path.join(dir, "config.yaml");
    const opml = path.join(dir, "evil.opml");
    const before = "# mine\nfeeds:\n  - { url: https://old.example.test/rss }\n";
    writeFileSync(config, before);
    writeFileSync(opml, HOSTILE_OPML);
    const run = await runCli(["feeds", "import", opml, "--config", config], { env: ENV });
    expect(run.code).toBe(1);
    expect(run.err).toContain('outline "Pay ${SMTP_PASS}" (https://evil.example.test/rss): title');
    expect(run.err).toContain('outline "Leaky" (https://***:***@evil.example.test/?k=${REDIS_URL}): xmlUrl');
    expect(run.err).toContain("nothing written");
    expect(run.err).not.toMatch(/hunter2|ann:pw/);
    expect(run.out).toBe("");
    expect(readFileSync(config, "utf8")).toBe(before);
  });
});
