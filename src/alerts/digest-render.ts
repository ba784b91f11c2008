/** A digest email: the window's alerts grouped by cluster, clusters and stories in score order. */
import type { Alert } from "../model/index.js";
import { escapeHtml, htmlPage, renderHtmlSection, renderText } from "./render.js";

export interface ClusterGroup {
  cluster: string;
  alerts: Alert[];
}

const byScore = (a: Alert, b: Alert) =>
  b.classification.score - a.classification.score || a.story.published.localeCompare(b.story.published) || a.story.id.localeCompare(b.story.id);

/** Clusters ordered by their best score, stories within a cluster by score; ties fall back to time, then id. */
export function groupDigest(alerts: Alert[]): ClusterGroup[] {
  const groups = new Map<string, Alert[]>();
  for (const alert of [...alerts].sort(byScore)) {
    const list = groups.get(alert.dedupe.cluster) ?? [];
    list.push(alert);
    groups.set(alert.dedupe.cluster, list);
  }
  // Map keeps insertion order and the input was sorted, so a group's first alert is its best.
  return [...groups].map(([cluster, list]) => ({ cluster, alerts: list }));
}

export interface DigestMail {
  subject: string;
  text: string;
  html: string;
}

export function renderDigest(groups: ClusterGroup[], windowLabel: string): DigestMail {
  const count = groups.reduce((n, g) => n + g.alerts.length, 0);
  const subject = `[newswatch] digest: ${count} alert${count === 1 ? "" : "s"} in ${groups.length} event${groups.length === 1 ? "" : "s"} (${windowLabel})`;
  const text = groups
    .map((g, i) => [`== Event ${i + 1} (${g.alerts.length} stor${g.alerts.length === 1 ? "y" : "ies"}) ==`, ...g.alerts.map(renderText)].join("\n\n"))
    .join("\n\n");
  const html = groups
    .map((g, i) => `<section><h1>Event ${i + 1}</h1>${g.alerts.map(renderHtmlSection).join("<hr>")}</section>`)
    .join("");
  return { subject, text, html: htmlPage(escapeHtml(subject), html) };
}
