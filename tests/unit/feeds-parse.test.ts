import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { FeedError } from "../../src/feeds/errors.js";
import { parseFeed } from "../../src/feeds/parse/parse.js";

const URL_ = "https://news.example.test/feeds/main.xml";
const parse = (text: string | Uint8Array, contentType?: string) =>
  parseFeed(typeof text === "string" ? Buffer.from(text, "utf8") : text, { url: URL_, contentType });

const rss = (items: string, head = '<?xml version="1.0" encoding="utf-8"?>') =>
  `${head}<rss version="2.0"><channel><title>Harbour Gazette</title><link>https://news.example.test/</link>${items}</channel></rss>`;

describe("parseFeed: RSS", () => {
  it("normalises an item: plain text, kept HTML, absolute link, UTC date, author, categories, enclosures", () => {
    const feed = parse(
      rss(`<item>
        <title>Ferry &amp; tug &lt;b&gt;collide&lt;/b&gt;</title>
        <link>/2024/ferry?id=7</link>
        <guid isPermaLink="false">ferry-7</guid>
        <description><![CDATA[<p>Two   vessels <em>met</em>&nbsp;at dawn.</p>]]></description>
        <pubDate>Tue, 02 Apr 2024 07:15:00 +0200</pubDate>
        <author>desk@news.example.test (Port Desk)</author>
        <category>Shipping</category><category>Shipping</category><category>Local</category>
        <enclosure url="https://cdn.example.test/ferry.jpg" type="image/jpeg" length="1"/>
        <media:content xmlns:media="http://search.yahoo.com/mrss/" url="https://cdn.example.test/ferry.jpg"/>
        <media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" url="/thumb.jpg"/>
      </item>`),
    );
    expect(feed.format).toBe("rss");
    expect(feed.title).toBe("Harbour Gazette");
    const [item] = feed.items;
    expect(item).toEqual({
      guid: "ferry-7",
      link: "https://news.example.test/2024/ferry?id=7",
      title: "Ferry & tug collide",
      description: "Two vessels met at dawn.",
      html: "<p>Two   vessels <em>met</em>&nbsp;at dawn.</p>",
      published: Date.UTC(2024, 3, 2, 5, 15),
      author: "desk@news.example.test (Port Desk)",
      categories: ["Shipping", "Local"],
      enclosures: ["https://cdn.example.test/ferry.jpg", "https://news.example.test/thumb.jpg"],
    });
  });

  it("keeps items around a raw ampersand, decodes HTML entities, drops control characters", () => {
    const feed = parse(
      rss(`<item><title>One</title><link>https://a.example.test/?x=1&y=2</link></item>
           <item><title>Caf&eacute; &hellip; \u0001done</title></item>`),
    );
    expect(feed.items.map((i) => i.title)).toEqual(["One", "Café … done"]);
    expect(feed.items[0]?.link).toBe("https://a.example.test/?x=1&y=2");
  });

  it("counts only direct channel items and drops an item cut off by a truncated download", () => {
    const feed = parse(`<rss><channel><item><title>Whole</title><item/></item><item><title>Cut`);
    expect(feed.items.map((i) => i.title)).toEqual(["Whole"]);
    expect(feed.warnings.join()).toMatch(/ends before/);
  });

  it.each([
    [rss("<item><title>One</item><item><title>Two</title></item>"), "</item> closed <title> too at line 1, column 152", 2],
    [rss("<item><title>One</title></link></item>"), "</link> with no <link> open at line 1, column 160", 1],
    [`<b>Warning</b>: db down ${rss("<item><title>One</title></item>")}`, "a second root element <rss> at line 1, column 63", 1],
  ])("flags malformed XML it recovered: %s", (text, what, n) => {
    const feed = parse(text);
    expect(feed.items).toHaveLength(n);
    expect(feed.warnings).toContain(`feed XML is malformed (${what}); recovered ${n} item(s)`);
  });

  it("does not flag well-formed XML, nor a raw ampersand", () => {
    expect(parse(rss("<item><title>A &amp; B & C</title></item>")).warnings.join()).not.toMatch(/malformed/);
  });

  it("reads RSS 1.0 (RDF) with dc: fields", () => {
    const feed = parse(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel><title>Valley Notes</title></channel>
      <item rdf:about="https://v.example.test/1"><title>Snow</title><link>https://v.example.test/1</link><dc:date>2023-12-01T08:00:00+01:00</dc:date><dc:creator>Ana</dc:creator><dc:subject>Weather</dc:subject></item>
    </rdf:RDF>`);
    expect(feed.format).toBe("rdf");
    expect(feed.items[0]).toMatchObject({ title: "Snow", published: Date.UTC(2023, 11, 1, 7), author: "Ana", categories: ["Weather"] });
  });

  it("refuses an entity-expansion bomb without expanding it", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss><channel><title>&c;</title></channel></rss>`;
    expect(() => parse(bomb)).toThrow(/entity-expansion/);
  });

  it("ignores a DOCTYPE's external entity (no fetch) and still parses", () => {
    const feed = parse(`<!DOCTYPE rss [<!ENTITY % ext SYSTEM "http://127.0.0.1:1/never.dtd"> %ext;]><rss><channel><item><title>Kept</title></item></channel></rss>`);
    expect(feed.items[0]?.title).toBe("Kept");
  });

  it.each([
    ["an HTML page", "<html><body><p>Moved</p></body></html>", /root element <html> at line 1, column 1/],
    ["an empty body", "   ", /empty/],
    ["a comment only", "<!-- nothing -->", /no root element/],
    ["JSON that is not a JSON Feed", '{"rss":{"channel":{}}}', /not a JSON Feed/],
    ["cut-off JSON", '{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1"', /invalid JSON/],
  ])("reports %s as a FeedError with the reason", (_label, body, message) => {
    expect(() => parse(body)).toThrow(FeedError);
    expect(() => parse(body)).toThrow(message);
  });
});

describe("parseFeed: Atom", () => {
  it("resolves nested xml:base, ignores a javascript: base, reads xhtml and escaped content", () => {
    const feed = parse(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.test/a/">
      <title type="html">Lamp &amp;amp; Wick</title>
      <entry xml:base="posts/"><id>tag:blog.example.test,2024:1</id><title>First</title>
        <link rel="alternate" href="first.html"/><link rel="enclosure" href="/audio/1.mp3"/>
        <updated>2024-05-01T10:00:00Z</updated><published>2024-04-30T09:00:00.5Z</published>
        <author><name>Lee</name></author><category term="lamps" label="Lamps"/>
        <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Oil <b>and</b> wick</p></div></content></entry>
      <entry xml:base="javascript:alert(1)"><id>tag:blog.example.test,2024:2</id><title type="html">&lt;i&gt;Second&lt;/i&gt;</title><link href="second.html"/>
        <summary type="html">&lt;p&gt;Short&lt;/p&gt;</summary></entry>
    </feed>`);
    expect(feed.title).toBe("Lamp & Wick");
    expect(feed.items[0]).toMatchObject({
      guid: "tag:blog.example.test,2024:1",
      link: "https://blog.example.test/a/posts/first.html",
      description: "Oil and wick",
      html: "<p>Oil <b>and</b> wick</p>",
      published: Date.UTC(2024, 3, 30, 9, 0, 0),
      author: "Lee",
      categories: ["Lamps"],
      enclosures: ["https://blog.example.test/audio/1.mp3"],
    });
    expect(feed.items[1]).toMatchObject({ title: "Second", link: "https://blog.example.test/a/second.html", description: "Short" });
  });

  it("is namespace-aware: prefixed Atom under a default XHTML namespace", () => {
    const feed = parse(`<a:feed xmlns:a="http://www.w3.org/2005/Atom" xmlns="http://www.w3.org/1999/xhtml"><a:entry><a:title>Pfx</a:title><a:link href="https://p.example.test/x"/></a:entry></a:feed>`);
    expect(feed.items[0]).toMatchObject({ title: "Pfx", link: "https://p.example.test/x" });
  });
});

describe("parseFeed: JSON Feed", () => {
  it("reads items, authors, tags, attachments and entity-escaped titles", () => {
    const feed = parse(
      JSON.stringify({
        version: "https://jsonfeed.org/version/1.1",
        title: "Kiln Log",
        feed_url: "https://kiln.example.test/feed.json",
        items: [
          { id: 42, url: "/fired", title: "Glaze &#8211; test", content_html: "<p>Cone 6</p>", date_published: "2024-02-03T04:05:06-01:00", authors: [{ name: "Mo" }], tags: ["clay"], attachments: [{ url: "https://kiln.example.test/p.png" }] },
          "not an item",
        ],
      }),
    );
    expect(feed.format).toBe("json");
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ guid: "42", link: "https://kiln.example.test/fired", title: "Glaze – test", description: "Cone 6", published: Date.UTC(2024, 1, 3, 5, 5, 6), author: "Mo", categories: ["clay"], enclosures: ["https://kiln.example.test/p.png"] });
    expect(feed.warnings.join()).toMatch(/skipped/);
  });
});

describe("parseFeed: encodings", () => {
  const cyr = "Новости порта";
  it.each([
    ["declared windows-1251", iconv.encode(`<?xml version="1.0" encoding="windows-1251"?><rss><channel><item><title>${cyr}</title></item></channel></rss>`, "windows-1251")],
    ["UTF-16LE with BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`<?xml version="1.0" encoding="utf-16"?><rss><channel><item><title>${cyr}</title></item></channel></rss>`, "utf-16le")])],
    ["UTF-16BE without BOM", iconv.encode(`<?xml version="1.0" encoding="utf-16be"?><rss><channel><item><title>${cyr}</title></item></channel></rss>`, "utf-16be")],
    ["undeclared KOI8-R", iconv.encode(`<rss><channel><item><title>${cyr} и новости дня</title></item></channel></rss>`, "koi8-r")],
    ["undeclared windows-1251", iconv.encode(`<rss><channel><item><title>${cyr} и новости дня</title></item></channel></rss>`, "windows-1251")],
  ])("decodes %s", (_label, bytes) => {
    expect(parse(bytes).items[0]?.title).toMatch(new RegExp(`^${cyr}`));
  });

  it("prefers the HTTP charset to the XML declaration", () => {
    const bytes = iconv.encode(`<?xml version="1.0" encoding="utf-8"?><rss><channel><item><title>Ελλάδα</title></item></channel></rss>`, "iso-8859-7");
    expect(parse(bytes, "application/rss+xml; charset=ISO-8859-7").items[0]?.title).toBe("Ελλάδα");
  });

  it("reads UTF-8 bytes declared as ISO-8859-1 as UTF-8, and real Latin-1 as Latin-1", () => {
    const doc = (enc: string) => `<?xml version="1.0" encoding="iso-8859-1"?><rss><channel><item><title>Grüße für Köln</title></item></channel></rss>${enc}`;
    expect(parse(Buffer.from(doc(""), "utf8")).items[0]?.title).toBe("Grüße für Köln");
    expect(parse(iconv.encode(doc(""), "latin1")).items[0]?.title).toBe("Grüße für Köln");
  });

  it("repairs windows-1252 quotes read as C1 controls and UTF-8 read as windows-1252, once or twice", () => {
    const feed = parse(rss(`<item><title>it\u0092s</title><description>Ã¢â‚¬Å“quotedÃ¢â‚¬Â\u009D and â€¦ and &#226;&#128;&#166;</description></item>`));
    expect(feed.items[0]?.title).toBe("it’s");
    expect(feed.items[0]?.description).toBe("“quoted” and … and …");
  });

  it("unpacks a gzip body served without Content-Encoding", async () => {
    const { gzipSync } = await import("node:zlib");
    expect(parse(gzipSync(rss("<item><title>Zipped</title></item>"))).items[0]?.title).toBe("Zipped");
  });
});
