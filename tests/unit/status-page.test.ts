import { describe, expect, it } from "vitest";
import type { FailedAlert } from "../../src/alerts/failed.js";
import type { ClusterView } from "../../src/dedupe/store.js";
import { fromHash } from "../../src/feeds/state/feed-state.js";
import type { Alert } from "../../src/model/index.js";
import { alertRows, type StatusView } from "../../src/status/data.js";
import { relative } from "../../src/status/format.js";
import { escapeHtml, html } from "../../src/status/html.js";
import { renderStatusPage } from "../../src/status/page.js";

const NOW = Date.parse("2025-03-01T12:00:00Z");
const HOSTILE = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;

function alert(id: string, title: string, link: string | null, kind: "new" | "follow-up" = "new"): Alert {
  return {
    version: 1,
    kind,
    story: { id, title, link, source: "Wire & Co", published: "2025-03-01T11:00:00.000Z", description: "" },
    classification: {
      relevant: true,
      score: 0.873,
      topics: ["iran-china-defense"],
      entities: [],
      reasons: [],
      evidence: "Iran and China held a joint naval drill near Chabahar.",
      relation: "military-exercise",
    },
    dedupe: { verdict: "new", cluster: id, of: null, score: 0, entities: [], knownEvent: null, alsoReportedBy: [] },
  };
}

const failed: FailedAlert = {
  id: "abc123",
  channel: "webhook:hooks.example",
  subject: HOSTILE,
  reason: "alerts/webhook: 400 from receiver",
  attemptsMade: 1,
  failedAt: "2025-03-01T11:58:00.000Z",
  attempts: [{ attempt: 1, at: "2025-03-01T11:58:00.000Z", ms: 12, ok: false, detail: "alerts/webhook: 400 from receiver" }],
};

const cluster: ClusterView = {
  id: "c1",
  first: NOW - 3_600_000,
  last: NOW - 60_000,
  count: 2,
  knownEvent: null,
  merged: [],
  members: [
    { id: "a", title: "Joint drill begins", source: "Wire", link: "https://news.example/a", published: "2025-03-01T11:00:00Z", verdict: "new" },
    { id: "b", title: HOSTILE, source: "Other", link: "javascript:alert(3)", published: "2025-03-01T11:30:00Z", verdict: "same-event" },
  ],
};

function view(over: Partial<StatusView> = {}): StatusView {
  const counts = { waiting: 0, active: 0, delayed: 0, prioritized: 0, failed: 1, completed: 4 };
  return {
    generatedAt: NOW,
    feeds: [
      { url: "http://feeds.example/rss", name: HOSTILE, nextPoll: NOW + 120_000, state: { ...fromHash({ lastSuccess: String(NOW - 300_000), lastPoll: String(NOW - 60_000), lastError: `timeout ${HOSTILE}`, lastErrorAt: String(NOW - 60_000), failures: "2" }) } },
    ],
    alerts: [{ alert: alert("1".repeat(16), HOSTILE, "javascript:alert(4)"), queuedAt: NOW - 60_000, channels: [{ name: "file", state: "completed" }, { name: "webhook:hooks.example", state: "failed" }] }],
    clusters: [cluster],
    failed: [failed],
    queues: [{ queue: "alert", counts }],
    ...over,
  };
}

describe("status page rendering", () => {
  const page = renderStatusPage(view(), { csrf: "tok-123", notice: `retried ${HOSTILE}` });

  it("escapes every value from feeds, errors and notices", () => {
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<img");
    expect(page).toContain(escapeHtml(HOSTILE));
    expect(page).toContain("Wire &amp; Co");
  });

  it("links only http(s) story URLs", () => {
    expect(page).not.toContain("javascript:");
    expect(page).toContain('href="https://news.example/a"');
  });

  it("shows a feed's name, health, last error and next poll", () => {
    expect(page).toContain("failing ×2");
    expect(page).toContain("timeout &lt;script&gt;");
    expect(page).toContain("in 2 min");
    expect(page).toContain("5 min ago");
  });

  it("shows an alert's score, relation, evidence and each channel's delivery", () => {
    expect(page).toContain("score 0.87");
    expect(page).toContain("military-exercise");
    expect(page).toContain("<blockquote>Iran and China held a joint naval drill near Chabahar.</blockquote>");
    expect(page).toContain("file: delivered");
    expect(page).toContain("webhook:hooks.example: failed");
  });

  it("gives each failed delivery a Retry form that posts its id and the CSRF token", () => {
    expect(page).toMatch(/<form method="post" action="\/retry"><input type="hidden" name="csrf" value="tok-123"><input type="hidden" name="id" value="abc123"><button type="submit">Retry<\/button><\/form>/);
  });

  it("is made for narrow screens and runs no inline code", () => {
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<link rel="stylesheet" href="/status.css">');
    expect(page).not.toMatch(/<style|<[^>]*\s(style|on[a-z]+)=/i);
    // Every cell of a stacking table carries its column's label, for the card layout.
    const stacking = page.match(/<table class="stack[\s\S]*?<\/table>/g) ?? [];
    expect(stacking).toHaveLength(2);
    for (const table of stacking) expect(table.match(/<td(?! data-label=)/g)).toBeNull();
  });

  it("says so when there is nothing to show", () => {
    const quiet = renderStatusPage(view({ feeds: [], alerts: [], clusters: [], failed: [] }), { csrf: "t" });
    for (const line of ["No feeds are configured.", "No alerts in the last day.", "No failed deliveries.", "No clusters in the dedupe window."]) expect(quiet).toContain(line);
  });
});

describe("alertRows", () => {
  const job = (data: unknown, timestamp: number) => ({ data, timestamp });
  const a = alert("a".repeat(16), "A", null);
  const b = alert("b".repeat(16), "B", null);

  it("groups one story's channel jobs, newest story first, and skips digests and bad payloads", () => {
    const rows = alertRows(
      [
        { job: job({ channel: "file", alert: a }, 100), state: "completed" },
        { job: job({ channel: "webhook:x", alert: a }, 90), state: "failed" },
        { job: job({ channel: "file", alert: b }, 200), state: "waiting" },
        { job: job({ channel: "digest", digest: { window: 1 } }, 300), state: "completed" },
        { job: job({ nonsense: true }, 400), state: "completed" },
      ],
      10,
    );
    expect(rows.map((r) => [r.alert.story.title, r.queuedAt, r.channels])).toEqual([
      ["B", 200, [{ name: "file", state: "waiting" }]],
      ["A", 90, [{ name: "file", state: "completed" }, { name: "webhook:x", state: "failed" }]],
    ]);
  });

  it("keeps a story's follow-up apart from its first alert, and stops at the limit", () => {
    const rows = alertRows([{ job: job({ channel: "file", alert: a }, 1), state: "completed" }, { job: job({ channel: "file", alert: { ...a, kind: "follow-up" } }, 2), state: "completed" }], 1);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.alert.kind).toBe("follow-up");
  });
});

describe("html and times", () => {
  it("escapes interpolated values but keeps nested fragments", () => {
    expect(html`<p title="${`"x'`}">${html`<b>${"<i>"}</b>`}${["&", 1, null, false]}</p>`.value).toBe('<p title="&quot;x&#39;"><b>&lt;i&gt;</b>&amp;1</p>');
  });

  it.each([
    [NOW - 10_000, "just now"],
    [NOW - 5 * 60_000, "5 min ago"],
    [NOW + 3 * 3_600_000, "in 3 h"],
    [NOW - 2 * 86_400_000, "2 d ago"],
  ])("relative(%d) = %s", (ms, text) => expect(relative(ms, NOW)).toBe(text));
});
