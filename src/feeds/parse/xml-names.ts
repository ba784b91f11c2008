/**
 * Namespace families: feed vocabularies that several namespace URIs (or a
 * prefix used without a declaration) name, each reduced to one short family
 * ("rss", "atom", "dc", …) that the format readers match on.
 */
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

/** Bound before any declaration. */
export const PREDECLARED: Readonly<Record<string, string>> = { "": "", xml: "http://www.w3.org/XML/1998/namespace" };

/** An element's family: its namespace URI's, else (undeclared prefix) the prefix's usual one, else the prefix itself. */
export function familyOf(uri: string | undefined, prefix: string): string {
  if (uri !== undefined) return Object.hasOwn(NS_FAMILY, uri) ? (NS_FAMILY[uri] as string) : uri;
  return Object.hasOwn(WELL_KNOWN_PREFIX, prefix) ? (WELL_KNOWN_PREFIX[prefix] as string) : prefix;
}

