/**
 * Plain text from feed markup: HTML stripped, entities decoded, whitespace
 * folded, and the damage publishers do repaired — stray control characters,
 * windows-1252 bytes read as C1 controls, and UTF-8 read as windows-1252
 * (once or twice: "Ã¢â‚¬â„¢" becomes "’").
 *
 * HTML is read with htmlparser2's Tokenizer, not its Parser: the Parser keeps
 * open elements in an array it unshifts, which is quadratic in nesting depth
 * (100,000 nested <div>: 7 s), and text needs no element stack at all. The
 * tokenizer is one linear pass, so the cost of a field is its length.
 */
import { decodeHTML } from "entities";
import { Tokenizer, type TokenizerCallbacks } from "htmlparser2";

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const C1 = /[\u0080-\u009F]/g;

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
  // C1 controls left after the windows-1252 repair (0x81, 0x8D, 0x8F, 0x90, 0x9D) mean nothing in text.
  if (/[\u0080-\u00FF]/.test(out)) out = c1ToCp1252(undoMojibake(out)).replace(/Â(?=\s|$)/g, "").replace(C1, "");
  return out.normalize("NFC").replace(/\s+/g, " ").trim();
}

// A character reference cut off at the end of a string: "&", "&am", "&#82", "&#x2".
const PARTIAL_REFERENCE = /&(?:#[xX]?[0-9a-fA-F]*|[A-Za-z][A-Za-z0-9]*)?$/;

/**
 * Length of the character reference cut off at the end of `s`, if any, so a
 * cut can end before it: "&am" would otherwise read as three characters of text.
 * Only the last 40 characters are looked at (no reference is longer).
 */
export function partialReferenceLength(s: string): number {
  return PARTIAL_REFERENCE.exec(s.slice(-40))?.[0].length ?? 0;
}

/** At most `max` UTF-16 units of `s`, never ending in half a surrogate pair. */
export function cutText(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max).trimEnd();
}

const BLOCK = new Set(["p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table", "blockquote", "pre", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd", "dt"]);
/** Elements whose content is not text a reader sees. */
const HIDDEN = new Set(["script", "style", "noscript", "template"]);

const decodeText = (s: string) => (s.includes("&") ? decodeHTML(s) : s);

/**
 * Collects the text of an HTML fragment: text kept and its entities decoded,
 * block tags read as a space, comments, declarations and the content of
 * script, style, noscript and template dropped. A CDATA section (a
 * description wrapped twice) is read as HTML once more; a CDATA section
 * inside that one is text, so the work stays at two passes at most. The
 * tokenizer leaves entities alone (decodeHTML on each run of text is faster
 * than its per-character decoder) and hands over only offsets.
 */
class TextCollector implements TokenizerCallbacks {
  private readonly hidden = new Map<string, number>();
  private hiding = 0;
  private tag = "";

  constructor(
    private readonly html: string,
    private readonly nested: boolean,
    readonly out: string[] = [],
  ) {}

  run(): string[] {
    const tokenizer = new Tokenizer({ xmlMode: false, decodeEntities: false }, this);
    tokenizer.write(this.html);
    tokenizer.end();
    return this.out;
  }

  ontext(start: number, end: number): void {
    if (this.hiding === 0) this.out.push(decodeText(this.html.slice(start, end)));
  }
  oncdata(start: number, end: number, endOffset: number): void {
    if (this.hiding > 0) return;
    const inner = this.html.slice(start, end - endOffset);
    if (this.nested) this.out.push(inner);
    else new TextCollector(inner, true, this.out).run();
  }
  onopentagname(start: number, end: number): void {
    this.tag = this.html.slice(start, end).toLowerCase();
    if (this.hiding === 0 && BLOCK.has(this.tag)) this.out.push(" ");
    if (!HIDDEN.has(this.tag)) return;
    this.hidden.set(this.tag, (this.hidden.get(this.tag) ?? 0) + 1);
    this.hiding++;
  }
  // The tokenizer ends a self-closed <script/> at once, so nothing is hidden after it.
  onselfclosingtag(): void {
    if (HIDDEN.has(this.tag)) this.unhide(this.tag);
  }
  onclosetag(start: number, end: number): void {
    const tag = this.html.slice(start, end).toLowerCase();
    if (this.hiding === 0 && BLOCK.has(tag)) this.out.push(" ");
    if (HIDDEN.has(tag)) this.unhide(tag);
  }
  ontextentity(): void {}
  onattribdata(): void {}
  onattribentity(): void {}
  onattribend(): void {}
  onattribname(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onend(): void {}
  onopentagend(): void {}
  onprocessinginstruction(): void {}

  private unhide(tag: string): void {
    const open = this.hidden.get(tag) ?? 0;
    if (open === 0) return;
    this.hidden.set(tag, open - 1);
    this.hiding--;
  }
}

/** HTML (or plain text that may hold entities) as one line of plain text, in time linear in its length. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return cleanText(html);
  return cleanText(new TextCollector(html, false).run().join(""));
}
