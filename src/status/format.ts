/** Times and numbers as the status page shows them; `now` is passed in so that rendering stays pure. */
import { html, type SafeHtml } from "./html.js";

/** "2024-05-10 12:00Z". */
export function shortUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ") + "Z";
}

/** "just now", "5 min ago", "in 3 h", "2 d ago". */
export function relative(ms: number, now: number): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  if (abs < 45_000) return "just now";
  const [n, unit] = abs < 3_600_000 ? [abs / 60_000, "min"] : abs < 86_400_000 ? [abs / 3_600_000, "h"] : [abs / 86_400_000, "d"];
  const span = `${Math.round(n)} ${unit}`;
  return diff > 0 ? `in ${span}` : `${span} ago`;
}

/** A time in its relative form, the UTC time in its tooltip. */
export function timeCell(ms: number | null, now: number, none = "—"): SafeHtml {
  if (ms === null || !Number.isFinite(ms)) return html`<span class="muted">${none}</span>`;
  return html`<time datetime="${new Date(ms).toISOString()}" title="${shortUtc(ms)}">${relative(ms, now)}</time>`;
}

/** A feed's link is only followed when it is http(s): a hostile feed may offer javascript: or data: URLs. */
export function safeHref(link: string | null): string | null {
  return link !== null && /^https?:\/\//i.test(link) ? link : null;
}
