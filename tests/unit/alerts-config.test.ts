import { describe, expect, it } from "vitest";
import { alertChannels, channelWants } from "../../src/alerts/channels.js";
import { ConfigSchema } from "../../src/config/schema.js";
import { testAlert } from "../helpers/alert-worker.js";

describe("alerts config", () => {
  it("parses durations and defaults", () => {
    const { alerts } = ConfigSchema.parse({
      alerts: {
        webhooks: [{ url: "http://127.0.0.1/a", rateLimit: { max: 5, per: "1m" } }, { name: "ops", url: "http://127.0.0.1/b" }],
        email: { smtp: "smtps://mail.test", from: "a@t", to: ["b@t"], digest: "30m" },
      },
    });
    expect(alerts.retryHorizon).toBe(86_400_000);
    expect(alerts.webhooks[0]!.rateLimit).toEqual({ max: 5, per: 60_000 });
    expect(alerts.email!.digest).toBe(1_800_000);
    expect(alerts.email!.subject).toBe("[newswatch] {title}");
    expect(alertChannels(ConfigSchema.parse({ alerts })).map((c) => `${c.kind}:${c.name}`)).toEqual(["webhook:webhook-1", "webhook:ops", "email:email"]);
  });

  it("refuses two channels with one name", () => {
    const result = ConfigSchema.safeParse({
      alerts: { webhooks: [{ name: "email", url: "http://127.0.0.1/" }], email: { smtp: "smtp://x", from: "a@t", to: ["b@t"] } },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/"email" is used twice/);
  });

  it.each([
    [{}, 0.5, ["t"], true],
    [{ minScore: 0.6 }, 0.5, ["t"], false],
    [{ minScore: 0.5 }, 0.5, ["t"], true],
    [{ topics: ["x"] }, 0.9, ["t"], false],
    [{ topics: ["x", "t"] }, 0.9, ["t"], true],
  ])("filter %j on score %d topics %j → %s", (filter, score, topics, wanted) => {
    expect(channelWants(filter, testAlert(1, { score, topics }))).toBe(wanted);
  });
});
