/**
 * A tolerant XML reader for feeds. htmlparser2's tokenizer never gives up
 * (raw "&", undeclared entities and prefixes, control characters, a missing
 * end tag), never reads a DTD and never touches the network; on top of it
 * this module resolves namespaces and xml:base and marks the elements that
 * were still open when the document ended, so truncated items can be dropped.
 *
 * The work is linear in the document, whatever it holds:
 * - The tree is built from htmlparser2's Tokenizer with a stack of our own
 *   (push and pop, and a count of open names so that a stray end tag costs
 *   nothing). htmlparser2's Parser unshifts onto its stack and searches it,
 *   which is quadratic in depth (200,000 levels: 14.5 s), whatever the handler.
 * - Elements nested deeper than `maxDepth` are not built: their text joins the
 *   deepest element kept (flattened, so no text is lost), their attributes and
 *   namespace declarations are ignored, and `tooDeep` says where the first one
 *   was. Walks of the tree therefore never go deeper than `maxDepth`.
 * - Text is stored raw and decoded only when read (xml-read.ts), so a 5 MB
 *   run of entities costs what the reader's budget allows.
 * - Namespace bindings are one stack per prefix: a lookup is O(1).
 *
 * What the reader repairs in a document's structure (an end tag that closes
 * elements left open, an end tag nothing opened, a second root element) is
 * recorded as `malformed`, the first such place, so the feed can be told its
 * XML is broken even though its items were recovered. Raw "&" and undeclared
 * entities are tolerated without a note: they are common and lose nothing.
 */
import { Tokenizer, type TokenizerCallbacks } from "htmlparser2";
import { familyOf, PREDECLARED } from "./xml-names.js";
import { decodeEntities } from "./xml-read.js";

export { attrOf, childOf, childrenOf, decodeEntities, innerXml, positionOf, readInnerXml, readText, textOf } from "./xml-read.js";

export interface XmlElement {
  /** Local name, without prefix. */
  local: string;
  /** Namespace family (xml-names.ts): "rss", "atom", "dc", …, or the namespace URI/prefix itself. */
  ns: string;
  /** Attribute values, entities decoded. */
  attrs: Record<string, string>;
  children: XmlChild[];
  /** The element's xml:base, resolved; null when there is no document URL to resolve against. */
  base: string | null;
  /** False when the document ended before the element's end tag. */
  complete: boolean;
  /** Offset in the decoded text, for error messages. */
  offset: number;
}
/**
 * A string child is raw character data as the document has it: entity
 * references not expanded, a CDATA section with its `<![CDATA[` and `]]>`.
 * Read it with readText/textOf.
 */
export type XmlChild = XmlElement | string;

function resolveBase(value: string, parent: string | null): string | null {
  try {
    const u = parent ? new URL(value, parent) : new URL(value);
    // A javascript: or data: base would turn every relative link into a script.
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : parent;
  } catch {
    return parent;
  }
}

export interface XmlDocument {
  /** Top-level elements (a well-formed document has one). */
  roots: XmlElement[];
  /** True when some element was still open at the end of the text. */
  truncated: boolean;
  /** Offset of the first element nested deeper than maxDepth (not built), or null. */
  tooDeep: number | null;
  /** The first structural error that was repaired, or null for a well-formed structure. */
  malformed: XmlRepair | null;
}

export interface XmlRepair {
  offset: number;
  /** e.g. `</item> closed <title> too`. */
  what: string;
}

export interface ParseXmlOptions {
  /** Deepest element built; the root is at depth 1. @defaultValue 256 */
  maxDepth?: number;
  /** Characters of an attribute value kept, cut before entities are decoded. @defaultValue 65,536 */
  maxAttribute?: number;
}

interface Frame {
  el: XmlElement;
  qname: string;
  /** Prefixes this element declared, to unbind when it closes. */
  declared: string[] | null;
}

interface OpenTag {
  qname: string;
  offset: number;
  /** Too deep to build: attributes are not collected. */
  skip: boolean;
  attrs: Record<string, string>;
}

/** A tag name as a message quotes it: a hostile document's names can be any length. */
const shortName = (qname: string) => (qname.length > 40 ? `${qname.slice(0, 40)}…` : qname);

class TreeBuilder implements TokenizerCallbacks {
  readonly roots: XmlElement[] = [];
  truncated = false;
  tooDeep: number | null = null;
  malformed: XmlRepair | null = null;
  private readonly built: Frame[] = [];
  /** Open elements too deep to build, innermost last; always inside the innermost built one. */
  private readonly skipped: string[] = [];
  private readonly openNames = new Map<string, number>();
  private readonly bindings = new Map<string, string[]>();
  private tag: OpenTag | null = null;
  private attrName = "";
  private attrValue = "";

  constructor(
    private readonly text: string,
    private readonly documentUrl: string | null,
    private readonly maxDepth: number,
    private readonly maxAttribute: number,
  ) {}

  onopentagname(start: number, end: number): void {
    const skip = this.built.length + this.skipped.length >= this.maxDepth;
    this.tag = { qname: this.text.slice(start, end), offset: start - 1, skip, attrs: {} };
  }
  onattribname(start: number, end: number): void {
    this.attrName = this.text.slice(start, end);
    this.attrValue = "";
  }
  onattribdata(start: number, end: number): void {
    const room = this.maxAttribute - this.attrValue.length;
    if (room > 0) this.attrValue += this.text.slice(start, Math.min(end, start + room));
  }
  onattribend(): void {
    const tag = this.tag;
    if (tag && !tag.skip && !Object.hasOwn(tag.attrs, this.attrName)) tag.attrs[this.attrName] = this.attrValue;
  }
  onopentagend(): void {
    this.openElement(false);
  }
  onselfclosingtag(): void {
    this.openElement(true);
  }
  onclosetag(start: number, end: number): void {
    const qname = this.text.slice(start, end);
    if (!this.openNames.get(qname)) {
      this.repaired(start - 2, `</${shortName(qname)}> with no <${shortName(qname)}> open`);
      return;
    }
    for (;;) {
      const popped = this.skipped.length > 0 ? (this.skipped.pop() as string) : this.closeBuilt();
      this.count(popped, -1);
      if (popped === qname) return;
      this.repaired(start - 2, `</${shortName(qname)}> closed <${shortName(popped)}> too`);
    }
  }
  ontext(start: number, end: number): void {
    this.built[this.built.length - 1]?.el.children.push(this.text.slice(start, end));
  }
  oncdata(start: number, end: number, endOffset: number): void {
    // The section with its markers: "<![CDATA[" before start, "]]>" through end when it was closed.
    this.built[this.built.length - 1]?.el.children.push(this.text.slice(start - 9, endOffset === 0 ? end : end + 1));
  }
  onend(): void {
    for (const frame of this.built) frame.el.complete = false;
    if (this.built.length > 0) this.truncated = true;
  }
  ontextentity(): void {}
  onattribentity(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}

  private repaired(offset: number, what: string): void {
    this.malformed ??= { offset, what };
  }

  private count(qname: string, delta: number): void {
    this.openNames.set(qname, (this.openNames.get(qname) ?? 0) + delta);
  }

  private closeBuilt(): string {
    const frame = this.built.pop() as Frame;
    if (frame.declared) for (const prefix of frame.declared) this.bindings.get(prefix)?.pop();
    return frame.qname;
  }

  private openElement(selfClosing: boolean): void {
    const tag = this.tag;
    this.tag = null;
    if (!tag) return;
    if (tag.skip) {
      this.tooDeep ??= tag.offset;
      if (!selfClosing) {
        this.skipped.push(tag.qname);
        this.count(tag.qname, 1);
      }
      return;
    }
    const parent = this.built[this.built.length - 1];
    let declared: string[] | null = null;
    const attrs = tag.attrs;
    for (const k in attrs) {
      const value = decodeEntities(attrs[k] as string);
      attrs[k] = value;
      if (k !== "xmlns" && !k.startsWith("xmlns:")) continue;
      const prefix = k === "xmlns" ? "" : k.slice(6);
      const stack = this.bindings.get(prefix) ?? [];
      stack.push(value.trim());
      this.bindings.set(prefix, stack);
      (declared ??= []).push(prefix);
    }
    const colon = tag.qname.indexOf(":");
    const prefix = colon === -1 ? "" : tag.qname.slice(0, colon);
    const bound = this.bindings.get(prefix);
    const uri = bound?.length ? bound[bound.length - 1] : Object.hasOwn(PREDECLARED, prefix) ? PREDECLARED[prefix] : undefined;
    const parentBase = parent ? parent.el.base : this.documentUrl;
    const el: XmlElement = {
      local: colon === -1 ? tag.qname : tag.qname.slice(colon + 1),
      ns: familyOf(uri, prefix),
      attrs,
      children: [],
      base: attrs["xml:base"] !== undefined ? resolveBase(attrs["xml:base"], parentBase) : parentBase,
      complete: true,
      offset: tag.offset,
    };
    if (parent) parent.el.children.push(el);
    else {
      if (this.roots.length > 0) this.repaired(tag.offset, `a second root element <${shortName(tag.qname)}>`);
      this.roots.push(el);
    }
    this.built.push({ el, qname: tag.qname, declared });
    this.count(tag.qname, 1);
    if (selfClosing) this.count(this.closeBuilt(), -1);
  }
}

export function parseXml(text: string, documentUrl: string | null, options: ParseXmlOptions = {}): XmlDocument {
  const builder = new TreeBuilder(text, documentUrl, options.maxDepth ?? 256, options.maxAttribute ?? 65_536);
  const tokenizer = new Tokenizer({ xmlMode: true, decodeEntities: false }, builder);
  tokenizer.write(text);
  tokenizer.end();
  return { roots: builder.roots, truncated: builder.truncated, tooDeep: builder.tooDeep, malformed: builder.malformed };
}
