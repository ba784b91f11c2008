/**
 * The status page's sections, each a pure function of the view. Tables carry
 * a `data-label` per cell (its content wrapped in one element) so that on a
 * narrow screen the stylesheet can show each row as a card of labelled lines
 * instead of scrolling sideways.
 */
import type { FailedAlert } from "../alerts/failed.js";
import type { ClusterView } from "../dedupe/store.js";
import type { FeedStatus } from "../feeds/state/feed-status.js";
import type { AlertRow, QueueDepth } from "./data.js";
import { QUEUE_STATES } from "./data.js";
import { safeHref, timeCell } from "./format.js";
import { html, type HtmlValue, type SafeHtml } from "./html.js";

function table(cls: string, headers: readonly string[], rows: readonly HtmlValue[][]): SafeHtml {
  const head = headers.map((h) => html`<th scope="col">${h}</th>`);
  const body = rows.map((cells) => html`<tr>${cells.map((c, i) => html`<td data-label="${headers[i]}"><div>${c}</div></td>`)}</tr>`);
  return html`<table class="stack ${cls}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function empty(text: string): SafeHtml {
  return html`<p class="empty">${text}</p>`;
}

function storyLink(title: string, link: string | null): SafeHtml {
  const href = safeHref(link);
  return href === null ? html`${title}` : html`<a href="${href}" rel="noopener noreferrer nofollow">${title}</a>`;
}

function feedHealth(s: FeedStatus): SafeHtml {
  if (s.state.lastPoll === null) return html`<span class="badge">not polled yet</span>`;
  if (s.state.failures > 0) return html`<span class="badge bad">failing ×${s.state.failures}</span>`;
  if (s.state.lastWarning !== null) return html`<span class="badge warn" title="${s.state.lastWarning}">ok, cut</span>`;
  return html`<span class="badge ok">ok</span>`;
}

export function feedsSection(feeds: readonly FeedStatus[], now: number): SafeHtml {
  if (feeds.length === 0) return empty("No feeds are configured.");
  const rows = feeds.map((f) => [
    html`<strong>${f.name ?? f.url}</strong><div class="sub">${f.state.currentUrl ? `${f.url} → ${f.state.currentUrl}` : f.url}</div>`,
    feedHealth(f),
    timeCell(f.state.lastSuccess, now, "never"),
    f.state.lastError === null
      ? html`<span class="muted">—</span>`
      : html`${timeCell(f.state.lastErrorAt, now)}<div class="error">${f.state.lastError}</div>`,
    String(f.state.itemsSeen),
    timeCell(f.nextPoll, now, "next tick"),
  ]);
  return table("feeds", ["Feed", "Health", "Last success", "Last error", "Items seen", "Next poll"], rows);
}

const CHANNEL_STATE: Record<string, { label: string; cls: string }> = {
  completed: { label: "delivered", cls: "ok" },
  failed: { label: "failed", cls: "bad" },
};

function alertCard({ alert, queuedAt, channels }: AlertRow, now: number): SafeHtml {
  const { story, classification: c, dedupe } = alert;
  const chips = [
    html`<span class="chip score" title="classifier score">score ${c.score.toFixed(2)}</span>`,
    c.relation === null ? null : html`<span class="chip">${c.relation}</span>`,
    c.topics.map((t) => html`<span class="chip topic">${t}</span>`),
    alert.kind === "follow-up" ? html`<span class="chip">follow-up</span>` : null,
    html`<span class="chip">${dedupe.verdict}</span>`,
  ];
  const delivery = channels.map(({ name, state }) => {
    const shown = CHANNEL_STATE[state] ?? { label: state, cls: "" };
    return html`<span class="badge ${shown.cls}">${name}: ${shown.label}</span>`;
  });
  return html`<article class="alert">
<h3>${storyLink(story.title, story.link)}</h3>
<p class="meta">${story.source} · published ${timeCell(Date.parse(story.published), now, story.published)} · queued ${timeCell(queuedAt, now)}</p>
<p class="chips">${chips}</p>
${c.evidence === null ? null : html`<blockquote>${c.evidence}</blockquote>`}
<p class="delivery">${delivery}</p>
</article>`;
}

export function alertsSection(alerts: readonly AlertRow[], now: number): SafeHtml {
  if (alerts.length === 0) return empty("No alerts in the last day.");
  return html`<div class="alerts">${alerts.map((a) => alertCard(a, now))}</div>`;
}

function retryForm(id: string, csrf: string): SafeHtml {
  return html`<form method="post" action="/retry"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="id" value="${id}"><button type="submit">Retry</button></form>`;
}

export function failedSection(failed: readonly FailedAlert[], now: number, csrf: string): SafeHtml {
  if (failed.length === 0) return empty("No failed deliveries.");
  const rows = failed.map((f) => {
    const last = f.attempts.at(-1);
    return [
      html`${f.subject}<div class="sub">job ${f.id}</div>`,
      f.channel,
      timeCell(f.failedAt === null ? null : Date.parse(f.failedAt), now),
      String(f.attemptsMade),
      html`<div class="error">${f.reason}</div>${last && last.detail !== f.reason ? html`<div class="sub">last try: ${last.detail}</div>` : null}`,
      retryForm(f.id, csrf),
    ];
  });
  return table("failed", ["Story", "Channel", "Failed", "Tries", "Reason", ""], rows);
}

function clusterBlock(c: ClusterView, now: number): SafeHtml {
  const first = c.members[0];
  const members = c.members.map(
    (m) => html`<li><span class="chip">${m.verdict}</span> ${storyLink(m.title, m.link)} <span class="sub">${m.source || "?"} · ${m.published.slice(0, 16).replace("T", " ")}</span></li>`,
  );
  const count = `${c.count} stor${c.count === 1 ? "y" : "ies"}`;
  return html`<details class="cluster">
<summary><strong>${first?.title ?? c.id}</strong> <span class="sub">${count} · last ${timeCell(c.last, now)}${c.knownEvent ? ` · known event ${c.knownEvent}` : ""}</span></summary>
<ul>${members}</ul>
</details>`;
}

export function clustersSection(clusters: readonly ClusterView[], now: number): SafeHtml {
  if (clusters.length === 0) return empty("No clusters in the dedupe window.");
  return html`<div class="clusters">${clusters.map((c) => clusterBlock(c, now))}</div>`;
}

/** States down, queues across: four narrow columns of numbers fit a phone as they are. */
export function queuesSection(queues: readonly QueueDepth[]): SafeHtml {
  const head = html`<tr><th scope="col">State</th>${queues.map((q) => html`<th scope="col" class="num">${q.queue}</th>`)}</tr>`;
  const rows = QUEUE_STATES.map(
    (state) => html`<tr><th scope="row">${state}</th>${queues.map((q) => html`<td class="${q.counts[state] > 0 && state === "failed" ? "num bad" : "num"}">${q.counts[state]}</td>`)}</tr>`,
  );
  return html`<table class="matrix"><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}
