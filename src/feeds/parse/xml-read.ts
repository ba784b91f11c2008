/**
 * Reading the tree that xml-tree.ts builds, within a budget. Text is kept raw
 * in the tree (entity references as written, CDATA sections with their
 * markers), so reading decodes it, and every read names the most characters
 * it wants: the work is bounded by that number, not by the document. Walks
 * use an explicit stack, never recursion.
 */
import { decodeHTML } from "entities";
import { partialReferenceLength } from "./text.js";
import type { XmlElement } from "./xml-tree.js";

/** Text read within a budget; `cut` when the source held more than was read. */
export interface Read {
  text: string;
  cut: boolean;
}

const CDATA_OPEN = "<![CDATA[";
const CDATA_CLOSE = "]]>";
/**
 * Source characters decoded per character of text wanted: a reference is
 * longer than its text (`&#1076;` is seven characters for one). Text denser
 * in references than this is cut short of its budget.
 */
const SOURCE_PER_CHAR = 8;

/** Entities: the XML five, numeric references and, for tolerance, HTML's named ones. */
export function decodeEntities(s: string): string {
  return s.includes("&") ? decodeHTML(s) : s;
}

/** One raw text child as text, at most `max` characters, reading at most SOURCE_PER_CHAR × max of it. */
export function decodeRaw(raw: string, max: number): Read {
  if (raw.startsWith(CDATA_OPEN)) {
    const end = raw.endsWith(CDATA_CLOSE) ? raw.length - CDATA_CLOSE.length : raw.length;
    const length = end - CDATA_OPEN.length;
    return { text: raw.slice(CDATA_OPEN.length, CDATA_OPEN.length + Math.min(length, max)), cut: length > max };
  }
  let end = Math.min(raw.length, max * SOURCE_PER_CHAR);
  if (end < raw.length) end -= partialReferenceLength(raw.slice(0, end));
  const text = decodeEntities(end === raw.length ? raw : raw.slice(0, end));
  return text.length > max ? { text: text.slice(0, max), cut: true } : { text, cut: end < raw.length };
}

/** All text inside an element, markup dropped, at most `max` characters. */
export function readText(el: XmlElement | undefined, max = Infinity): Read {
  if (!el) return { text: "", cut: false };
  const only = el.children.length === 1 ? el.children[0] : undefined;
  if (typeof only === "string") return decodeRaw(only, max);
  const parts: string[] = [];
  let length = 0;
  // Each frame is an element and the index of its next child.
  const stack: [XmlElement, number][] = [[el, 0]];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as [XmlElement, number];
    const [node, i] = frame;
    const child = node.children[i];
    if (child === undefined) {
      stack.pop();
      continue;
    }
    frame[1] = i + 1;
    if (typeof child !== "string") {
      stack.push([child, 0]);
      continue;
    }
    if (length >= max) return { text: parts.join(""), cut: true };
    const read = decodeRaw(child, max - length);
    parts.push(read.text);
    length += read.text.length;
    if (read.cut) return { text: parts.join(""), cut: true };
  }
  return { text: parts.join(""), cut: false };
}

/** All text inside an element, markup dropped, at most `max` characters. */
export function textOf(el: XmlElement | undefined, max = Infinity): string {
  return readText(el, max).text;
}

const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function openTag(el: XmlElement): string {
  let attrs = "";
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k !== "xmlns" && !k.startsWith("xmlns:")) attrs += ` ${k}="${escapeText(v).replace(/"/g, "&quot;")}"`;
  }
  return `<${el.local}${attrs}>`;
}

/** The markup inside an element (Atom type="xhtml" content), namespace declarations dropped, at most `max` characters. */
export function readInnerXml(el: XmlElement, max = Infinity): Read {
  const parts: string[] = [];
  let length = 0;
  const emit = (s: string) => {
    parts.push(s);
    length += s.length;
  };
  const done = (cut: boolean): Read => {
    const text = parts.join("");
    return text.length > max ? { text: text.slice(0, max), cut: true } : { text, cut };
  };
  const stack: [XmlElement, number][] = [[el, 0]];
  while (stack.length > 0) {
    if (length >= max) return done(true);
    const frame = stack[stack.length - 1] as [XmlElement, number];
    const [node, i] = frame;
    const child = node.children[i];
    if (child === undefined) {
      stack.pop();
      if (node !== el) emit(`</${node.local}>`);
      continue;
    }
    frame[1] = i + 1;
    if (typeof child !== "string") {
      emit(openTag(child));
      stack.push([child, 0]);
      continue;
    }
    const read = decodeRaw(child, max - length);
    emit(escapeText(read.text));
    if (read.cut) return done(true);
  }
  return done(false);
}

/** The markup inside an element, at most `max` characters. */
export function innerXml(el: XmlElement, max = Infinity): string {
  return readInnerXml(el, max).text;
}

/** Direct children with the given namespace family and local name. */
export function childrenOf(el: XmlElement, ns: string | readonly string[], local: string): XmlElement[] {
  const families = typeof ns === "string" ? [ns] : ns;
  return el.children.filter((c): c is XmlElement => typeof c !== "string" && c.local === local && families.includes(c.ns));
}

export function childOf(el: XmlElement, ns: string | readonly string[], local: string): XmlElement | undefined {
  const families = typeof ns === "string" ? [ns] : ns;
  return el.children.find((c): c is XmlElement => typeof c !== "string" && c.local === local && families.includes(c.ns));
}

/** An attribute by local name, whatever its prefix. */
export function attrOf(el: XmlElement, local: string): string | undefined {
  if (el.attrs[local] !== undefined) return el.attrs[local];
  const key = Object.keys(el.attrs).find((k) => k.endsWith(`:${local}`) && !k.startsWith("xmlns"));
  return key === undefined ? undefined : el.attrs[key];
}

/** 1-based line and column of an offset, for error messages. */
export function positionOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length;
  const col = offset - Math.max(before.lastIndexOf("\n"), before.lastIndexOf("\r"));
  return `line ${line}, column ${col}`;
}
