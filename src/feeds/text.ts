/**
 * Plain text from feed markup: HTML stripped, entities decoded, whitespace
 * folded, and the damage publishers do repaired — stray control characters,
 * windows-1252 bytes read as C1 controls, and UTF-8 read as windows-1252
 * (once or twice: "Ã¢â‚¬â„¢" becomes "’").
 */
import { decodeHTML } from "entities";

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

// windows-1252 bytes 0x80–0x9F; undefined positions keep their C1 code point.
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
const TO_BYTE = new Map<string, number>();
for (let i = 0; i < 32; i++) TO_BYTE.set(CP1252_HIGH[i] as string, 0x80 + i);
for (let i = 0x80; i < 0x100; i++) if (!TO_BYTE.has(String.fromCharCode(i))) TO_BYTE.set(String.fromCharCode(i), i);

// Runs of characters that windows-1252 can encode and that start with a UTF-8 lead byte.
const SUSPECT_RUN = new RegExp(`[\\u00C2-\\u00F4][${[...TO_BYTE.keys()].join("").replace(/[\]\\^-]/g, "\\$&")}]+`, "g");
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

function undoMojibakeOnce(s: string): string {
  return s.replace(SUSPECT_RUN, (run) => {
    const bytes = Uint8Array.from([...run].map((c) => TO_BYTE.get(c) as number));
    try {
      return utf8Strict.decode(bytes);
    } catch {
      return run;
    }
  });
}

/** Repairs UTF-8 that was decoded as windows-1252, up to three layers deep. */
export function undoMojibake(s: string): string {
  let out = s;
  for (let i = 0; i < 3; i++) {
    const next = undoMojibakeOnce(out);
    if (next === out) break;
    out = next;
  }
  return out;
}

/** C1 controls in text are windows-1252 bytes decoded as ISO-8859-1 (0x92 is a right quote). */
function c1ToCp1252(s: string): string {
  return s.replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] as string);
}

/** Cleans decoded text: controls removed, mis-decodings repaired, whitespace folded. */
export function cleanText(s: string): string {
  // Most feed text is ASCII: then there is nothing to repair or normalise.
  if (!/[^\t\n\r\x20-\x7E]/.test(s)) return s.replace(/\s+/g, " ").trim();
  let out = s.replace(CONTROL, "");
  // A lone "Â" before a space is a no-break space (C2 A0) whose second byte became a plain space.
  if (/[\u0080-\u00FF]/.test(out)) out = c1ToCp1252(undoMojibake(out)).replace(/Â(?=\s|$)/g, "");
  return out.normalize("NFC").replace(/\s+/g, " ").trim();
}

const BLOCK = /^(p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|section|article|header|footer|figure|figcaption|hr|dd|dt)$/i;

/** HTML (or plain text that may hold entities) as one line of plain text. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return cleanText(html);
  const stripped = html
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1")
    .replace(/<\/?([A-Za-z][A-Za-z0-9:-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*>/g, (_m, tag: string) => (BLOCK.test(tag) ? " " : ""));
  return cleanText(decodeHTML(stripped));
}
