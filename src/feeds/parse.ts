/**
 * One feed body in, its items out: gunzips a body served compressed without
 * saying so, decodes the charset, refuses entity-expansion bombs, and picks
 * the JSON or XML reader. Errors are FeedError("parse") naming the reason.
 */
import { gunzipSync } from "node:zlib";
import { decodeBody } from "./decode.js";
import { FeedError } from "./errors.js";
import { parseJsonFeed } from "./parse-json.js";
import { parseXmlFeed } from "./parse-xml.js";
import type { ParsedFeed } from "./raw-item.js";

export interface ParseOptions {
  /** The URL the body came from; relative links resolve against it. */
  url?: string | null;
  /** The Content-Type header, for its charset. */
  contentType?: string | null;
  /** Largest body accepted after gunzip. @defaultValue 10 MB */
  maxBytes?: number;
}

const DOCTYPE_SUBSET = /<!DOCTYPE[^[>]*\[([\s\S]*?)\]\s*>/i;

/**
 * We never expand DTD entities; a document that declares entities built from
 * other entities is an expansion bomb (billion laughs) and is refused outright.
 * The internal subset is blanked (same length, so positions hold) because its
 * declarations would otherwise read as markup.
 */
function stripDoctype(text: string): string {
  const m = DOCTYPE_SUBSET.exec(text.slice(0, 65_536));
  if (!m) return text;
  const subset = m[1] as string;
  if (/<!ENTITY\s+%?\s*[^\s]+\s+(?:"[^"]*[&%][^"]*"|'[^']*[&%][^']*')/.test(subset)) {
    throw new FeedError("parse", "feeds/parse: refused: the DOCTYPE declares entities that expand other entities (entity-expansion bomb)");
  }
  return text.slice(0, m.index) + " ".repeat(m[0].length) + text.slice(m.index + m[0].length);
}

export function parseFeed(body: Uint8Array, options: ParseOptions = {}): ParsedFeed {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const warnings: string[] = [];
  let bytes = body;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (err) {
      throw new FeedError("parse", `feeds/parse: gzip body could not be unpacked: ${(err as Error).message}`, { cause: err });
    }
    warnings.push("the body was gzip-compressed without a Content-Encoding header");
  }
  const decoded = decodeBody(bytes, charsetFromType(options.contentType));
  warnings.push(...decoded.warnings);
  const text = decoded.text.replace(/^\uFEFF/, "");
  const start = text.trimStart()[0];
  if (start === "{" || start === "[") return parseJsonFeed(text, options.url ?? null, warnings);
  if (text.trim() === "") throw new FeedError("parse", "feeds/parse: not a feed: the body is empty");
  return parseXmlFeed(stripDoctype(text), options.url ?? null, warnings);
}

function charsetFromType(contentType: string | null | undefined): string | null {
  const m = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType) : null;
  return m ? (m[1] as string) : null;
}
