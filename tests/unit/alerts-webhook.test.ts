import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { signWebhook, webhookHeaders, webhookOutcome } from "../../src/alerts/webhook.js";
import { WebhookChannel } from "../../src/config/sections/alerts.js";

const BODY = JSON.stringify({ version: 1, story: { title: "Ünïcode and \"quotes\"" } });

describe("webhook signing (Standard Webhooks)", () => {
  it.each([
    ["whsec_ base64 secret", "whsec_" + Buffer.from("k".repeat(32)).toString("base64"), undefined],
    ["raw secret", "plain secret from the environment", { format: "raw" as const }],
  ])("a %s verifies with the standardwebhooks package", (_label, secret, options) => {
    const channel = WebhookChannel.parse({ url: "http://127.0.0.1/", secret });
    const headers = webhookHeaders(channel, "msg_abc", Date.now(), BODY);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret, options).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    expect(() => new Webhook(secret, options).verify(BODY + " ", headers)).toThrow();
  });

  it("signs id.timestamp.body, so any change breaks the signature", () => {
    const s = "whsec_" + Buffer.from("another key").toString("base64");
    const base = signWebhook(s, "msg_1", 1_700_000_000, BODY);
    expect(signWebhook(s, "msg_2", 1_700_000_000, BODY)).not.toBe(base);
    expect(signWebhook(s, "msg_1", 1_700_000_001, BODY)).not.toBe(base);
    expect(signWebhook(s, "msg_1", 1_700_000_000, BODY)).toBe(base);
  });

  it("extra headers cannot replace the signing headers", () => {
    const channel = WebhookChannel.parse({ url: "http://127.0.0.1/", secret: "s", headers: { "webhook-id": "x", Authorization: "Bearer t" } });
    const headers = webhookHeaders(channel, "msg_real", 1_700_000_000_000, BODY);
    expect(headers["webhook-id"]).toBe("msg_real");
    expect(headers["webhook-timestamp"]).toBe("1700000000");
    expect(headers.authorization).toBe("Bearer t");
  });

  it("a configured header in another letter case replaces the built-in one, and no name is sent twice", () => {
    const channel = WebhookChannel.parse({
      url: "http://127.0.0.1/",
      secret: "s",
      headers: { "User-Agent": "desk-relay/2", "CONTENT-TYPE": "application/vnd.desk+json", "Webhook-Signature": "v1,forged", "WEBHOOK-ID": "x" },
    });
    const headers = webhookHeaders(channel, "msg_real", 1_700_000_000_000, BODY);
    const names = Object.keys(headers).map((n) => n.toLowerCase());
    expect(names).toHaveLength(new Set(names).size);
    expect(headers["user-agent"]).toBe("desk-relay/2");
    expect(headers["content-type"]).toBe("application/vnd.desk+json");
    expect(headers["webhook-id"]).toBe("msg_real");
    expect(headers["webhook-signature"]).toBe(signWebhook("s", "msg_real", 1_700_000_000, BODY));
  });

  it("leaves the body unsigned without a secret", () => {
    const headers = webhookHeaders(WebhookChannel.parse({ url: "http://127.0.0.1/" }), "msg_1", 0, BODY);
    expect(headers["webhook-signature"]).toBeUndefined();
  });

  it.each([
    [200, { ok: true }],
    [204, { ok: true }],
    [301, { ok: false, retry: false }],
    [400, { ok: false, retry: false }],
    [401, { ok: false, retry: false }],
    [404, { ok: false, retry: false }],
    [408, { ok: false, retry: true, retryAfterMs: undefined }],
    [429, { ok: false, retry: true, retryAfterMs: 2_000 }],
    [500, { ok: false, retry: true, retryAfterMs: 2_000 }],
    [503, { ok: false, retry: true, retryAfterMs: 2_000 }],
  ])("HTTP %i → %j", (status, outcome) => {
    expect(webhookOutcome(status, status === 408 ? undefined : "2", 0)).toEqual(outcome);
  });
});
