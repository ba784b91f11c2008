/**
 * The status page: one server-rendered HTML document, a pure function of the
 * view read from Redis (data.ts). No script runs on it: the Retry buttons are
 * plain form POSTs carrying a CSRF token, and the stylesheet is its own URL,
 * so the Content-Security-Policy can forbid everything inline.
 */
import type { StatusView } from "./data.js";
import { shortUtc } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { alertsSection, clustersSection, failedSection, feedsSection, queuesSection } from "./sections.js";

export const STYLESHEET_PATH = "/status.css";

export interface PageOptions {
  /** Sent back with each Retry, to show the POST came from this page. */
  csrf: string;
  /** A line shown above the sections (the outcome of a retry). */
  notice?: string | null;
}

function summary(view: StatusView): SafeHtml {
  const failing = view.feeds.filter((f) => f.state.failures > 0).length;
  const waiting = view.queues.reduce((n, q) => n + q.counts.waiting + q.counts.prioritized, 0);
  const items: [string, number, boolean][] = [
    ["feeds", view.feeds.length, false],
    ["failing feeds", failing, failing > 0],
    ["recent alerts", view.alerts.length, false],
    ["failed deliveries", view.failed.length, view.failed.length > 0],
    ["jobs waiting", waiting, false],
  ];
  return html`<ul class="summary">${items.map(([label, n, bad]) => html`<li class="${bad ? "bad" : ""}"><b>${n}</b> ${label}</li>`)}</ul>`;
}

function section(id: string, title: string, body: SafeHtml, note?: string): SafeHtml {
  return html`<section id="${id}"><h2>${title}</h2>${note ? html`<p class="note">${note}</p>` : null}${body}</section>`;
}

export function renderStatusPage(view: StatusView, options: PageOptions): string {
  const now = view.generatedAt;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>newswatch status</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<header>
<h1>newswatch</h1>
<nav><a href="#feeds">Feeds</a><a href="#alerts">Alerts</a><a href="#failed">Failed</a><a href="#clusters">Clusters</a><a href="#queues">Queues</a><a href="/queues/">Bull Board</a><a href="/">Refresh</a></nav>
</header>
<main>
<p class="asof">As of ${shortUtc(now)}</p>
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : null}
${summary(view)}
${section("feeds", "Feeds", feedsSection(view.feeds, now))}
${section("alerts", "Recent alerts", alertsSection(view.alerts, now), "Alert jobs of the last day, newest first, with each channel's delivery.")}
${section("failed", "Failed deliveries", failedSection(view.failed, now, options.csrf), "Retry gives a delivery its whole retry horizon again.")}
${section("clusters", "Event clusters", clustersSection(view.clusters, now), "Clusters updated within the dedupe window.")}
${section("queues", "Queue depths", queuesSection(view.queues))}
</main>
</body>
</html>
`;
  return page.value;
}
