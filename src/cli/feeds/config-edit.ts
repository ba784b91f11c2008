/**
 * Adds feeds to a YAML config's `feeds:` list by inserting text, so every
 * other byte of the user's file — comments, order, layout, long lines —
 * stays as it was (re-serialising the whole document would reflow it). The
 * yaml Document API finds where the list is; new entries copy the style of
 * its first entry (flow `{ url, name }` maps or block maps).
 *
 * Values come from someone else's OPML file, so one holding `${` is refused
 * outright: the loader would read it as an environment variable (or, outside
 * the fields that take one, as an error), and an imported feed must never be
 * able to name a secret.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { redactUrl } from "../../logger.js";
import { printable } from "../../printable.js";
import { FeedError } from "../../feeds/errors.js";
import type { OpmlFeed } from "./opml.js";

export interface AddFeedsResult {
  text: string;
  added: OpmlFeed[];
  /** Already in the config (same URL). */
  skipped: OpmlFeed[];
}

/** A scalar as YAML: plain when that is unambiguous in flow and block context, else double-quoted. */
function scalar(s: string): string {
  const plain = /^[A-Za-z0-9][^,[\]{}#&*!|>'"%@`]*$/.test(s) && !/:\s|\s#|\s$/.test(s) && !/^(true|false|null|yes|no|on|off|~|[-+.\d][\d._eE+-]*)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

function entry(feed: OpmlFeed, flow: boolean, indent: string): string {
  const fields = [`url: ${scalar(feed.url)}`, ...(feed.name ? [`name: ${scalar(feed.name)}`] : [])];
  return flow ? `${indent}- { ${fields.join(", ")} }` : `${indent}- ${fields.join(`\n${indent}  `)}`;
}

/** Throws FeedError("refused") naming every outline whose URL or name holds `${`. */
export function refuseEnvReferences(feeds: readonly OpmlFeed[]): void {
  const bad = feeds.flatMap((f) => {
    const fields = [...(f.url.includes("${") ? ["xmlUrl"] : []), ...(f.name?.includes("${") ? ["title"] : [])];
    return fields.length === 0 ? [] : [`  - outline "${printable(f.name ?? "")}" (${printable(redactUrl(f.url))}): ${fields.join(" and ")}`];
  });
  if (bad.length === 0) return;
  throw new FeedError(
    "refused",
    `feeds/config-edit: refused: ${bad.length} outline(s) hold "\${", which the config would read as an environment variable\n${bad.join("\n")}`,
  );
}

/** Throws FeedError("refused") before any edit when a feed holds `${` (refuseEnvReferences). */
export function addFeedsToYaml(text: string, feeds: readonly OpmlFeed[]): AddFeedsResult {
  refuseEnvReferences(feeds);
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`feeds/config-edit: the config is not valid YAML: ${doc.errors[0]?.message}`);
  const node = doc.get("feeds", true) as Node | undefined;
  const items = isSeq(node) ? node.items : [];
  const existing = new Set(items.map((item) => (isMap(item) ? String(item.get("url")) : "")));
  const added: OpmlFeed[] = [];
  const skipped: OpmlFeed[] = [];
  for (const feed of feeds) {
    if (existing.has(feed.url)) skipped.push(feed);
    else added.push(feed);
    existing.add(feed.url);
  }
  if (added.length === 0) return { text, added, skipped };

  const first = items[0];
  const last = items[items.length - 1] as Node | undefined;
  if (isSeq(node) && !node.flow && last?.range && first && isMap(first) && first.range) {
    const lineStart = text.lastIndexOf("\n", first.range[0]) + 1;
    const indent = text.slice(lineStart, first.range[0]).replace(/-\s*$/, "");
    // A block map's range runs to the next key; its last value ends at the last non-blank character.
    const valueEnd = text.slice(0, last.range[1]).trimEnd().length;
    const lineEnd = text.indexOf("\n", valueEnd);
    const at = lineEnd === -1 ? text.length : lineEnd;
    const lines = added.map((f) => entry(f, Boolean(first.flow), indent)).join("\n");
    return { text: `${text.slice(0, at)}\n${lines}${text.slice(at)}`, added, skipped };
  }
  // A flow list (`feeds: []`, `feeds: [{ url: … }]`) or an empty key becomes a block list, its
  // entries kept as written; a config with no feeds key gets one.
  const kept = items.flatMap((i) => (isMap(i) && i.range ? [`  - ${text.slice(i.range[0], i.range[1]).trim()}`] : []));
  const block = [...kept, ...added.map((f) => entry(f, true, "  "))].join("\n");
  const pair = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === "feeds") : undefined;
  const keyEnd = pair && isScalar(pair.key) ? pair.key.range?.[1] : undefined;
  if (keyEnd !== undefined) {
    const colon = text.indexOf(":", keyEnd);
    const end = isSeq(node) && node.range ? node.range[1] : colon + 1;
    return { text: `${text.slice(0, colon + 1)}\n${block}${text.slice(end)}`, added, skipped };
  }
  const sep = text === "" || text.endsWith("\n") ? "" : "\n";
  return { text: `${text}${sep}feeds:\n${block}\n`, added, skipped };
}
