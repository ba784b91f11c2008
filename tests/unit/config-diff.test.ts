/** diffConfig: short lines for what a reload changes, no secret in them, and redis/metrics kept for a restart. */
import { describe, expect, it } from "vitest";
import { diffConfig } from "../../src/config/diff.js";
import { ConfigSchema, type Config } from "../../src/config/schema.js";

const topic = (id: string, keywords: string[] = []) => ({
  id,
  name: id,
  actors: [{ side: "A", entities: [{ name: "A" }] }],
  keywords,
});

const base = {
  redis: { prefix: "p" },
  feeds: [{ url: "https://a.example.test/rss" }, { url: "https://ann:pw@b.example.test/rss", interval: "5m" }],
  topics: [topic("iran-china-defense", ["drill"]), topic("other")],
  alerts: { webhooks: [{ name: "ops", url: "https://hooks.example.test/T0K3N", secret: "whsec_old" }] },
};

function config(edit: (raw: typeof base & Record<string, unknown>) => void = () => {}): Config {
  const raw = structuredClone(base) as typeof base & Record<string, unknown>;
  edit(raw);
  return ConfigSchema.parse(raw);
}

describe("diffConfig", () => {
  it("finds nothing between equal configs", () => {
    expect(diffConfig(config(), config())).toEqual({ changes: [], restart: [], sections: new Set() });
  });

  it("names feeds added, removed and changed, with their credentials blanked", () => {
    const diff = diffConfig(
      config(),
      config((c) => {
        c.feeds = [{ url: "https://ann:pw@b.example.test/rss", interval: "10m" }, { url: "https://c.example.test/rss" }];
      }),
    );
    expect(diff.changes).toEqual([
      "feed https://***:***@b.example.test/rss interval changed",
      "feed added https://c.example.test/rss",
      "feed removed https://a.example.test/rss",
    ]);
    expect(diff.sections).toEqual(new Set(["feeds"]));
  });

  it("names a topic's changed fields, and topics added and removed", () => {
    const diff = diffConfig(
      config(),
      config((c) => {
        c.topics = [topic("iran-china-defense", ["drill", "exercise"]), topic("new-one")];
      }),
    );
    expect(diff.changes).toEqual(["topic iran-china-defense keywords changed", "topic new-one added", "topic other removed"]);
  });

  it("says a webhook's secret or URL changed without showing either", () => {
    const diff = diffConfig(
      config(),
      config((c) => {
        c.alerts = { webhooks: [{ name: "ops", url: "https://hooks.example.test/N3W", secret: "whsec_new" }, { name: "desk", url: "https://d.example.test/", secret: "x" }] };
      }),
    );
    expect(diff.changes).toEqual(["webhook ops url, secret changed", "webhook desk added"]);
    expect(diff.changes.join(" ")).not.toMatch(/T0K3N|N3W|whsec_/);
  });

  it("shows old and new values of plain settings, and lists channels and alert settings", () => {
    const diff = diffConfig(
      config(),
      config((c) => {
        c.defaults = { interval: "5m" };
        c.dedupe = { knownEvents: "follow-up" };
        c.alerts = { ...base.alerts, email: { smtp: "smtp://h", from: "a@b", to: ["c@d"] }, retryDelay: "10s" } as typeof base.alerts;
      }),
    );
    expect(diff.changes).toEqual([
      "defaults.interval changed (600000 → 300000)",
      "dedupe.knownEvents changed (suppress → follow-up)",
      "email channel email added",
      "alerts.retryDelay changed (5000 → 10000)",
    ]);
    expect(diff.sections).toEqual(new Set(["defaults", "alerts", "dedupe"]));
  });

  it("keeps redis and metrics changes apart, for a restart, without the Redis URL's password", () => {
    const diff = diffConfig(
      config(),
      config((c) => {
        c.redis = { prefix: "q", url: "redis://:secret@10.0.0.1:6379" } as typeof base.redis;
        c.metrics = { port: 9100 };
      }),
    );
    expect(diff.changes).toEqual([]);
    expect(diff.sections).toEqual(new Set());
    expect(diff.restart).toEqual(["redis.url changed", "redis.prefix changed (p → q)", "metrics.port changed (unset → 9100)"]);
  });

  it("reports edited reference and model files by their digests", () => {
    const withFiles = (c: Config) => ({ ...c, reference: ["/r/a.yaml", "/r/b.yaml"], topics: c.topics.map((t, i) => (i === 0 ? { ...t, model: "/m/t.json" } : t)) });
    const a = withFiles(config());
    const diff = diffConfig(a, a, {
      before: new Map([["/r/a.yaml", "1"], ["/r/b.yaml", "2"], ["/m/t.json", "3"]]),
      after: new Map([["/r/a.yaml", "1"], ["/r/b.yaml", "9"], ["/m/t.json", "8"]]),
    });
    expect(diff.changes).toEqual(["reference changed /r/b.yaml", "topic iran-china-defense model file changed"]);
    expect(diff.sections).toEqual(new Set(["reference", "topics"]));
  });

  it("names an owner change and references added", () => {
    const diff = diffConfig(config(), { ...config(), owner: "desk-b", reference: ["/r/new.yaml"] });
    expect(diff.changes).toEqual(["reference added /r/new.yaml", "owner changed (unset → desk-b)"]);
  });
});
