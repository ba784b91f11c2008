/**
 * Feed documents a hostile or broken server might send, each built to make
 * naive parsing super-linear or unbounded (the findings of the security
 * review): markup that makes regexes backtrack, deep nesting, a huge field,
 * a huge item count, a dense run of entities.
 */

const channel = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Hostile</title>${inner}</channel></rss>`;
const item = (guid: string, title: string, description: string) =>
  `<item><guid>${guid}</guid><title>${title}</title><link>http://hostile.example/${guid}</link><description>${description}</description></item>`;

export const HOSTILE_FEEDS: Record<string, () => string> = {
  /** 400 KB of an unclosed tag start, escaped inside a description. */
  "tag-soup": () => channel(item("soup", "Soup", "&lt;a x".repeat(400_000 / 7))),
  /** 200,000 nested elements inside an item. */
  "deep-nesting": () => channel(`<item><guid>deep</guid><title>Deep</title>${"<x>".repeat(200_000)}${"</x>".repeat(200_000)}</item>`),
  /** A 9.5 MB title in one CDATA section. */
  "huge-title": () => channel(item("huge", `<![CDATA[${"Iran China drill ".repeat(9_500_000 / 17)}]]>`, "short")),
  /** 85,000 items. */
  "many-items": () => channel(Array.from({ length: 85_000 }, (_, i) => item(`m${i}`, `Item ${i}`, "x")).join("")),
  /** A 5 MB description made of entities. */
  "entity-dense": () => channel(item("dense", "Dense", "&amp;".repeat(1_000_000))),
};
