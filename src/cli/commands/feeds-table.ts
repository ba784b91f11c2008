import { printable } from "../../printable.js";
import { shortUtc } from "../../status/format.js";

/**
 * Plain-text tables for the feed commands: columns padded to their widest
 * cell. Cells often hold text from feeds, so control characters are dropped
 * (line breaks become spaces) before anything is measured or printed.
 */
export function formatTable(header: string[], body: string[][]): string {
  const rows = body.map((r) => r.map((c) => printable(c)));
  // A loop, not Math.max(...rows): a feed of 200,000 items would overflow the call stack.
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? "").length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A time as "2024-05-10 12:00Z", or "-" for none. */
export function shortTime(ms: number | null): string {
  return ms === null ? "-" : shortUtc(ms);
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
