import { describe, expect, it } from "vitest";
import { groupDigest, renderDigest } from "../../src/alerts/digest-render.js";
import { messageId } from "../../src/alerts/email.js";
import { escapeHtml, renderHtml, renderSubject, renderText } from "../../src/alerts/render.js";
import { EmailChannel } from "../../src/config/sections/alerts.js";
import { testAlert } from "../helpers/alert-worker.js";

describe("alert rendering", () => {
  it("escapes every HTML-significant character", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("keeps story markup as text in the HTML part and drops non-http links", () => {
    const alert = testAlert(1, { title: "<script>steal()</script> <b>bold</b>" });
    alert.story.link = "javascript:steal()";
    alert.story.description = "<img src=x onerror=steal()>";
    const html = renderHtml(alert);
    expect(html).not.toMatch(/<script|<img|<b>|href="javascript/i);
    expect(html).toContain("&lt;script&gt;steal()&lt;/script&gt;");
    expect(renderText(alert)).toContain("<script>steal()</script>");
  });

  it("fills the subject template on one line and keeps unknown placeholders", () => {
    const alert = testAlert(2, { title: "Line one\nline two", score: 0.876, topics: ["a", "b"] });
    expect(renderSubject("{kind}/{verdict} {title} [{topics}] {score} {nope}", alert)).toBe("new/new Line one line two [a, b] 0.88 {nope}");
  });

  it("groups a digest by cluster, clusters by best score, stories by score", () => {
    const alerts = [
      testAlert(1, { cluster: "c2", score: 0.5 }),
      testAlert(2, { cluster: "c1", score: 0.7 }),
      testAlert(3, { cluster: "c2", score: 0.95 }),
      testAlert(4, { cluster: "c3", score: 0.1 }),
      testAlert(5, { cluster: "c1", score: 0.8 }),
    ];
    const groups = groupDigest(alerts);
    expect(groups.map((g) => [g.cluster, g.alerts.map((a) => a.classification.score)])).toEqual([
      ["c2", [0.95, 0.5]],
      ["c1", [0.8, 0.7]],
      ["c3", [0.1]],
    ]);
    const mail = renderDigest(groups, "window");
    expect(mail.subject).toBe("[newswatch] digest: 5 alerts in 3 events (window)");
    expect(mail.text.indexOf(alerts[2]!.story.title)).toBeLessThan(mail.text.indexOf(alerts[0]!.story.title));
  });

  it("makes a Message-ID stable per story and recipient list, and different otherwise", () => {
    const channel = EmailChannel.parse({ smtp: "smtp://127.0.0.1", from: "News <a@news.test>", to: ["x@t", "y@t"] });
    const swapped = { ...channel, to: ["y@t", "x@t"] };
    const other = { ...channel, to: ["x@t"] };
    expect(messageId(channel, "story-1")).toMatch(/^<[a-f0-9]{32}@news\.test>$/);
    expect(messageId(swapped, "story-1")).toBe(messageId(channel, "story-1"));
    expect(messageId(other, "story-1")).not.toBe(messageId(channel, "story-1"));
    expect(messageId(channel, "story-2")).not.toBe(messageId(channel, "story-1"));
  });
});
