/**
 * A tolerant XML reader for feeds. htmlparser2's tokenizer never gives up
 * (raw "&", undeclared entities and prefixes, control characters, a missing
 * end tag), never reads a DTD and never touches the network; on top of it
 * this module resolves namespaces and xml:base and marks the elements that
 * were still open when the document ended, so truncated items can be dropped.
 */
import { decodeHTML } from "entities";
import { Parser } from "htmlparser2";

export interface XmlElement {
  /** Local name, without prefix. */
  local: string;
  /** Namespace family (see NS_FAMILY): "rss", "atom", "dc", …, or the namespace URI/prefix itself. */
  ns: string;
  attrs: Record<string, string>;
  children: XmlChild[];
  /** The element's xml:base, resolved; null when there is no document URL to resolve against. */
  base: string | null;
  /** False when the document ended before the element's end tag. */
  complete: boolean;
  /** Offset in the decoded text, for error messages. */
  offset: number;
}
export type XmlChild = XmlElement | string;

/** Namespaces that mean the same thing to a feed reader share a family. */
const NS_FAMILY: Record<string, string> = {
  "": "rss",
  "http://purl.org/rss/1.0/": "rss",
  "http://my.netscape.com/rdf/simple/0.9/": "rss",
  "http://backend.userland.com/rss2": "rss",
  "http://backend.userland.com/rss": "rss",
  "http://www.w3.org/2005/Atom": "atom",
  "http://purl.org/atom/ns#": "atom03",
  "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
  "http://purl.org/dc/elements/1.1/": "dc",
  "http://purl.org/dc/terms/": "dc",
  "http://purl.org/rss/1.0/modules/content/": "content",
  "http://search.yahoo.com/mrss/": "media",
  "http://search.yahoo.com/mrss": "media",
  "http://purl.oclc.org/net/rss_2.0/enc#": "enc",
  "http://www.w3.org/1999/xhtml": "xhtml",
  "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
};
/** Prefixes used without a declaration still mean what they usually mean. */
const WELL_KNOWN_PREFIX: Record<string, string> = {
  dc: "dc", content: "content", media: "media", atom: "atom", rdf: "rdf", enc: "enc", itunes: "itunes", xhtml: "xhtml",
};

function family(uri: string): string {
  return NS_FAMILY[uri] ?? uri;
}

function resolveBase(value: string, parent: string | null): string | null {
  try {
    const u = parent ? new URL(value, parent) : new URL(value);
    // A javascript: or data: base would turn every relative link into a script.
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : parent;
  } catch {
    return parent;
  }
}

/** Entities: the XML five, numeric references and, for tolerance, HTML's named ones. */
export function decodeEntities(s: string): string {
  return s.includes("&") ? decodeHTML(s) : s;
}

interface Frame {
  el: XmlElement;
  ns: Map<string, string>;
}

export interface XmlDocument {
  /** Top-level elements (a well-formed document has one). */
  roots: XmlElement[];
  /** True when some element was still open at the end of the text. */
  truncated: boolean;
}

export function parseXml(text: string, documentUrl: string | null): XmlDocument {
  const roots: XmlElement[] = [];
  const stack: Frame[] = [];
  let inCdata = false;
  let ending = false;
  let truncated = false;
  const rootNs = new Map<string, string>([["", ""], ["xml", "http://www.w3.org/XML/1998/namespace"]]);

  const parser = new Parser(
    {
      onopentag(qname, rawAttrs) {
        const parent = stack[stack.length - 1];
        let ns = parent?.ns ?? rootNs;
        const attrs: Record<string, string> = {};
        for (const k in rawAttrs) {
          const value = decodeEntities(rawAttrs[k] as string);
          attrs[k] = value;
          if (k === "xmlns" || k.startsWith("xmlns:")) {
            if (ns === (parent?.ns ?? rootNs)) ns = new Map(ns);
            ns.set(k === "xmlns" ? "" : k.slice(6), value.trim());
          }
        }
        const colon = qname.indexOf(":");
        const prefix = colon === -1 ? "" : qname.slice(0, colon);
        const uri = ns.get(prefix);
        const parentBase = parent ? parent.el.base : documentUrl;
        const el: XmlElement = {
          local: colon === -1 ? qname : qname.slice(colon + 1),
          ns: uri !== undefined ? family(uri) : (WELL_KNOWN_PREFIX[prefix] ?? prefix),
          attrs,
          children: [],
          base: attrs["xml:base"] !== undefined ? resolveBase(attrs["xml:base"], parentBase) : parentBase,
          complete: true,
          offset: parser.startIndex,
        };
        if (parent) parent.el.children.push(el);
        else roots.push(el);
        stack.push({ el, ns });
      },
      onclosetag() {
        const frame = stack.pop();
        if (frame && ending) {
          frame.el.complete = false;
          truncated = true;
        }
      },
      ontext(data) {
        const top = stack[stack.length - 1];
        if (top) top.el.children.push(inCdata ? data : decodeEntities(data));
      },
      oncdatastart() {
        inCdata = true;
      },
      oncdataend() {
        inCdata = false;
      },
    },
    { xmlMode: true, decodeEntities: false },
  );
  parser.write(text);
  ending = true;
  parser.end();
  return { roots, truncated };
}

/** Direct children with the given namespace family and local name. */
export function childrenOf(el: XmlElement, ns: string | readonly string[], local: string): XmlElement[] {
  const families = typeof ns === "string" ? [ns] : ns;
  return el.children.filter((c): c is XmlElement => typeof c !== "string" && c.local === local && families.includes(c.ns));
}

export function childOf(el: XmlElement, ns: string | readonly string[], local: string): XmlElement | undefined {
  return childrenOf(el, ns, local)[0];
}

/** All text inside an element, markup dropped. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return "";
  return el.children.map((c) => (typeof c === "string" ? c : textOf(c))).join("");
}

/** An attribute by local name, whatever its prefix. */
export function attrOf(el: XmlElement, local: string): string | undefined {
  if (el.attrs[local] !== undefined) return el.attrs[local];
  const key = Object.keys(el.attrs).find((k) => k.endsWith(`:${local}`) && !k.startsWith("xmlns"));
  return key === undefined ? undefined : el.attrs[key];
}

const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The markup inside an element (Atom type="xhtml" content), namespace declarations dropped. */
export function innerXml(el: XmlElement): string {
  return el.children
    .map((c) => {
      if (typeof c === "string") return escapeText(c);
      const attrs = Object.entries(c.attrs)
        .filter(([k]) => k !== "xmlns" && !k.startsWith("xmlns:"))
        .map(([k, v]) => ` ${k}="${escapeText(v).replace(/"/g, "&quot;")}"`)
        .join("");
      return `<${c.local}${attrs}>${innerXml(c)}</${c.local}>`;
    })
    .join("");
}

/** 1-based line and column of an offset, for error messages. */
export function positionOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length;
  const col = offset - Math.max(before.lastIndexOf("\n"), before.lastIndexOf("\r"));
  return `line ${line}, column ${col}`;
}
