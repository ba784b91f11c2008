/**
 * Turns a feed body's bytes into text. Evidence is weighed in this order:
 * a byte-order mark (it cannot be there by accident), then the HTTP charset,
 * then the XML declaration, then the bytes themselves. A declared legacy
 * charset loses to bytes that are valid UTF-8 with multi-byte sequences
 * (servers and templates often claim ISO-8859-1 for UTF-8 output), and
 * ISO-8859-1/ASCII labels decode as windows-1252, as browsers do.
 */
import { isUtf8 as bufferIsUtf8 } from "node:buffer";
import iconv from "iconv-lite";

export interface Decoded {
  text: string;
  encoding: string;
  warnings: string[];
}

function bomEncoding(b: Uint8Array): { encoding: string; skip: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: "utf-8", skip: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: "utf-16le", skip: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: "utf-16be", skip: 2 };
  return null;
}

/** UTF-16 without a BOM shows in the first bytes of any XML document: `<` next to a zero byte. */
function sniffUtf16(b: Uint8Array): string | null {
  if (b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00) return "utf-16be";
  if (b[0] === 0x3c && b[1] === 0x00 && b[3] === 0x00) return "utf-16le";
  return null;
}

function xmlDeclEncoding(b: Uint8Array): string | null {
  const head = Buffer.from(b.subarray(0, 1024)).toString("latin1");
  const m = /<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m ? (m[1] as string) : null;
}

/** The label iconv-lite decodes with, or null when unknown. */
function normaliseLabel(label: string): string | null {
  const l = label.trim().toLowerCase();
  if (/^(iso[-_]?8859[-_]?1|latin-?1|l1|us-ascii|ascii|iso646-us|cp819|ibm819)$/.test(l)) return "windows-1252";
  if (l === "utf8") return "utf-8";
  return iconv.encodingExists(l) ? l : null;
}

// node:buffer's validator (simdutf) is an order of magnitude faster than a fatal TextDecoder.
const isUtf8 = (b: Uint8Array): boolean => bufferIsUtf8(b);

const hasHighBytes = (b: Uint8Array) => b.some((x) => x >= 0x80);

/**
 * With no usable label and bytes that are not UTF-8. In Western text a word
 * with high bytes is mostly ASCII letters ("café"); in Cyrillic it is all
 * high bytes. KOI8-R puts lower-case letters at 0xC0–0xDF and windows-1251
 * at 0xE0–0xFF, and running text is mostly lower case.
 */
function guessLegacy(b: Uint8Array): string {
  let high = 0;
  let asciiInMixed = 0;
  let c0 = 0;
  let e0 = 0;
  let wordAscii = 0;
  let wordHigh = 0;
  const isAsciiLetter = (x: number) => (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a);
  for (let i = 0; i <= b.length; i++) {
    const x = b[i] ?? 0x20;
    if (x >= 0x80) {
      wordHigh++;
      if (x >= 0xc0 && x <= 0xdf) c0++;
      else if (x >= 0xe0) e0++;
    } else if (isAsciiLetter(x)) wordAscii++;
    else {
      if (wordHigh > 0) {
        high += wordHigh;
        asciiInMixed += wordAscii;
      }
      wordHigh = 0;
      wordAscii = 0;
    }
  }
  if (high === 0 || high < asciiInMixed) return "windows-1252";
  return c0 > e0 ? "koi8-r" : "windows-1251";
}

function decodeWith(b: Uint8Array, encoding: string): string {
  if (encoding === "utf-8") return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8");
  return iconv.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), encoding, { stripBOM: true });
}

export function decodeBody(bytes: Uint8Array, httpCharset?: string | null): Decoded {
  const warnings: string[] = [];
  const bom = bomEncoding(bytes);
  if (bom) {
    const body = bytes.subarray(bom.skip);
    if (bom.encoding === "utf-8" && !isUtf8(body)) warnings.push("invalid UTF-8 bytes after a UTF-8 byte-order mark were replaced");
    return { text: decodeWith(body, bom.encoding), encoding: bom.encoding, warnings };
  }
  const utf16 = sniffUtf16(bytes);
  if (utf16) return { text: decodeWith(bytes, utf16), encoding: utf16, warnings };

  let declared: string | null = null;
  for (const [source, label] of [["HTTP charset", httpCharset], ["XML declaration", xmlDeclEncoding(bytes)]] as const) {
    if (!label) continue;
    const known = normaliseLabel(label);
    if (!known) {
      warnings.push(`unknown encoding "${label}" in the ${source} ignored`);
      continue;
    }
    // A UTF-16 label on bytes that read as ASCII here cannot be right.
    if (/^utf-?(16|32)/.test(known)) continue;
    declared = known;
    break;
  }
  const utf8 = isUtf8(bytes);
  if (declared && declared !== "utf-8") {
    if (utf8 && hasHighBytes(bytes)) {
      warnings.push(`declared ${declared} but the bytes are UTF-8; decoded as UTF-8`);
      return { text: decodeWith(bytes, "utf-8"), encoding: "utf-8", warnings };
    }
    return { text: decodeWith(bytes, declared), encoding: declared, warnings };
  }
  if (utf8) return { text: decodeWith(bytes, "utf-8"), encoding: "utf-8", warnings };
  if (declared === "utf-8") {
    warnings.push("invalid UTF-8 bytes were replaced");
    return { text: decodeWith(bytes, "utf-8"), encoding: "utf-8", warnings };
  }
  const guess = guessLegacy(bytes);
  warnings.push(`no charset declared and the bytes are not UTF-8; guessed ${guess}`);
  return { text: decodeWith(bytes, guess), encoding: guess, warnings };
}
