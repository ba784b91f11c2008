/** Feed ownership: a sync removes only its own schedulers (and those made before owners), and counts the others'. */
import { describe, expect, it } from "vitest";
import { configOwner } from "../../src/config/owner.js";
import { ConfigSchema } from "../../src/config/schema.js";
import { foreignLines, planSync, schedulerId, type ScheduledFeed } from "../../src/service/schedulers.js";

const config = (urls: string[], extra: Record<string, unknown> = {}) =>
  ConfigSchema.parse({ defaults: { interval: "5m" }, feeds: urls.map((url) => ({ url })), ...extra });

const found = (url: string, owner: string | null, every = 300_000): ScheduledFeed => ({
  id: schedulerId({ url }),
  owner,
  feed: { url, backfill: false },
  every,
});

describe("config owner", () => {
  it("is the owner key when set, else the config file's absolute path", () => {
    expect(configOwner(config([], { owner: "desk-a" }), "x.yaml")).toBe("desk-a");
    expect(configOwner(config([]), "/etc/newswatch/a.yaml")).toBe("/etc/newswatch/a.yaml");
    expect(configOwner(config([]), "rel.yaml")).toBe(`${process.cwd()}/rel.yaml`);
  });
});

describe("planSync", () => {
  const A = "http://a.example/rss";
  const B = "http://b.example/rss";
  const C = "http://c.example/rss";
  const D = "http://d.example/rss";

  it("removes our feeds that left the config and those without an owner, and leaves other owners' alone", () => {
    const plan = planSync([found(A, "/me.yaml"), found(B, "/me.yaml"), found(C, null), found(D, "/other.yaml")], config([A]), "/me.yaml");
    expect(plan.remove.map((s) => s.feed?.url)).toEqual([B, C]);
    expect(plan.foreign).toEqual(new Map([["/other.yaml", 1]]));
    expect(foreignLines(plan.foreign, "newswatch")).toEqual(["1 feed(s) on prefix newswatch belong to config /other.yaml; left alone"]);
  });

  it("upserts every feed of the config, and tells missing and changed ones apart", () => {
    const plan = planSync([found(A, "/me.yaml", 60_000), found(B, "/other.yaml")], config([A, B, C]), "/me.yaml");
    expect(plan.upsert.map((u) => [u.feed.url, u.every])).toEqual([[A, 300_000], [B, 300_000], [C, 300_000]]);
    expect(plan.missing.map((f) => f.url)).toEqual([C]);
    expect(plan.changed.map((f) => f.url)).toEqual([A]);
    // A feed both configs list is shared: upserting it is no removal, and it is not counted as foreign.
    expect(plan.remove).toEqual([]);
    expect(plan.foreign.size).toBe(0);
  });

  it("on an empty Redis, every feed is missing and nothing is removed", () => {
    const plan = planSync([], config([A, B]), "/me.yaml");
    expect(plan.missing).toHaveLength(2);
    expect(plan.remove).toHaveLength(0);
  });
});
