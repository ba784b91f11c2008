/**
 * How an alert reads as an email: a subject from the channel's template, a
 * plain-text part and an HTML part. Story text is untrusted: the HTML part
 * escapes it, so a headline with `<script>` arrives as text.
 */
import type { Alert } from "../model/index.js";

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Only http(s) links become anchors; `javascript:` and the like stay text. */
function safeHref(link: string | null): string | null {
  return link && /^https?:\/\//i.test(link) ? link : null;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").trim();
}

/** Fills `{title} {source} {score} {topics} {verdict} {kind}`; unknown placeholders stay as written. */
export function renderSubject(template: string, alert: Alert): string {
  const fields: Record<string, string> = {
    title: alert.story.title,
    source: alert.story.source,
    score: alert.classification.score.toFixed(2),
    topics: alert.classification.topics.join(", "),
    verdict: alert.dedupe.verdict,
    kind: alert.kind,
  };
  return oneLine(template.replace(/\{(\w+)\}/g, (m, key: string) => fields[key] ?? m));
}

function facts(alert: Alert): [string, string][] {
  const { story, classification: c, dedupe: d } = alert;
  const rows: [string, string][] = [
    ["Source", story.source],
    ["Published", story.published],
    ["Score", c.score.toFixed(2)],
    ["Topics", c.topics.join(", ")],
    ["Verdict", `${d.verdict} (cluster ${d.cluster})`],
  ];
  if (c.entities.length > 0) rows.push(["Entities", c.entities.map((e) => e.name).join(", ")]);
  if (c.reasons.length > 0) rows.push(["Why", c.reasons.join("; ")]);
  if (d.alsoReportedBy.length > 0) rows.push(["Also reported by", d.alsoReportedBy.join(", ")]);
  return rows;
}

export function renderText(alert: Alert): string {
  const { story } = alert;
  return [
    story.title,
    story.link ?? "",
    "",
    story.description,
    "",
    ...facts(alert).map(([k, v]) => `${k}: ${v}`),
  ].join("\n");
}

export function renderHtmlSection(alert: Alert): string {
  const { story } = alert;
  const href = safeHref(story.link);
  const title = escapeHtml(story.title);
  const heading = href ? `<a href="${escapeHtml(href)}">${title}</a>` : title;
  const rows = facts(alert)
    .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join("");
  return `<h2>${heading}</h2><p>${escapeHtml(story.description)}</p><table>${rows}</table>`;
}

export function renderHtml(alert: Alert): string {
  return htmlPage(escapeHtml(alert.story.title), renderHtmlSection(alert));
}

export function htmlPage(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}
