/**
 * One feed body in, its items out: gunzips a body served compressed without
 * saying so, decodes the charset, refuses entity-expansion bombs, and picks
 * the JSON or XML reader. Errors are FeedError("parse") naming the reason.
 * The readers keep to `limits` (config/sections/limits.ts): the first
 * `limits.items` items, each field within its cap.
 */
import { gunzipSync } from "node:zlib";
import { DEFAULT_LIMITS, type FeedLimits } from "../../config/sections/limits.js";
import { decodeBody } from "./decode.js";
import { FeedError } from "../errors.js";
import { parseJsonFeed } from "./parse-json.js";
import { parseXmlFeed } from "./parse-xml.js";
import type { ParsedFeed } from "./raw-item.js";
import { coerceError } from "../../errors.js";

export interface ParseOptions {
  /** The URL the body came from; relative links resolve against it. */
  url?: string | null;
  /** The Content-Type header, for its charset. */
  contentType?: string | null;
  /** Largest body accepted after gunzip. @defaultValue 10 MB */
  maxBytes?: number;
  /** Caps on items and fields (the config's `limits`). @defaultValue DEFAULT_LIMITS */
  limits?: FeedLimits;
}

/** How far into the document a DOCTYPE is looked for. */
const DOCTYPE_WINDOW = 65_536;

/** The internal subset of the DOCTYPE near the start, as [start, end) of the whole declaration and the subset. */
function doctypeSubset(text: string): { start: number; end: number; subset: string } | null {
  const head = text.slice(0, DOCTYPE_WINDOW);
  const start = head.search(/<!DOCTYPE/i);
  if (start === -1) return null;
  // Plain scans, no backtracking: the name and external id hold no "[" or ">".
  let i = start + 9;
  while (i < head.length && head[i] !== "[" && head[i] !== ">") i++;
  if (head[i] !== "[") return null;
  // The subset ends at the first "]" followed by ">" (white space between); the runs skipped are disjoint.
  for (let close = head.indexOf("]", i + 1); close !== -1; close = head.indexOf("]", close + 1)) {
    let end = close + 1;
    while (end < head.length && /\s/.test(head[end] as string)) end++;
    if (head[end] === ">") return { start, end: end + 1, subset: head.slice(i + 1, close) };
  }
  return null;
}

/** Whether an <!ENTITY> of the subset has a value that refers to another entity ("&" or "%"). One pass: each search starts where the last ended. */
function expandsEntities(subset: string): boolean {
  let at = subset.indexOf("<!ENTITY");
  while (at !== -1) {
    const decl = /^<!ENTITY\s+%?\s*[^\s"']+\s+(["'])/.exec(subset.slice(at, at + 256));
    let next = at + 8;
    if (decl) {
      const open = at + decl[0].length;
      const close = subset.indexOf(decl[1] as string, open);
      const value = subset.slice(open, close === -1 ? subset.length : close);
      if (value.includes("&") || value.includes("%")) return true;
      if (close === -1) return false;
      next = close + 1;
    }
    at = subset.indexOf("<!ENTITY", next);
  }
  return false;
}

/**
 * We never expand DTD entities; a document that declares entities built from
 * other entities is an expansion bomb (billion laughs) and is refused outright.
 * The internal subset is blanked (same length, so positions hold) because its
 * declarations would otherwise read as markup.
 */
function stripDoctype(text: string): string {
  const m = doctypeSubset(text);
  if (!m) return text;
  if (expandsEntities(m.subset)) {
    throw new FeedError("parse", "feeds/parse: refused: the DOCTYPE declares entities that expand other entities (entity-expansion bomb)");
  }
  return text.slice(0, m.start) + " ".repeat(m.end - m.start) + text.slice(m.end);
}

export function parseFeed(body: Uint8Array, options: ParseOptions = {}): ParsedFeed {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const warnings: string[] = [];
  let bytes = body;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (err) {
      throw new FeedError("parse", `feeds/parse: gzip body could not be unpacked: ${coerceError(err).message}`, { cause: err });
    }
    warnings.push("the body was gzip-compressed without a Content-Encoding header");
  }
  const decoded = decodeBody(bytes, charsetFromType(options.contentType));
  warnings.push(...decoded.warnings);
  const text = decoded.text.replace(/^\uFEFF/, "");
  const start = text.trimStart()[0];
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (start === "{" || start === "[") return parseJsonFeed(text, options.url ?? null, warnings, limits);
  if (text.trim() === "") throw new FeedError("parse", "feeds/parse: not a feed: the body is empty");
  return parseXmlFeed(stripDoctype(text), options.url ?? null, warnings, limits);
}

function charsetFromType(contentType: string | null | undefined): string | null {
  const m = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType) : null;
  return m ? (m[1] as string) : null;
}
